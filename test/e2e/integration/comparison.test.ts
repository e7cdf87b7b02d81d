/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { referenceBenchmark, robustNas } from './context';

const GET_COMPARISON = 'robustNas.internal.getComparison';

suite('Comparison', () => {
  suiteSetup(async () => {
    await (await robustNas()).comparison.clear();
  });

  test('Add to Comparison pins cells given as a string and as an index, in order, canonical', async () => {
    const reference = await referenceBenchmark();
    const first = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    await vscode.commands.executeCommand('robustNas.addToComparison', first);
    await vscode.commands.executeCommand('robustNas.addToComparison', '5374');
    const expected = [first, reference.archOfIndex(5374).archString];
    assert.deepEqual(await vscode.commands.executeCommand(GET_COMPARISON), expected);
    assert.deepEqual([...(await robustNas()).comparison.list()], expected);
  });

  test('pinning the same cell again changes nothing; removing takes it out', async () => {
    const before = await vscode.commands.executeCommand<string[]>(GET_COMPARISON);
    await vscode.commands.executeCommand('robustNas.addToComparison', before[0]);
    assert.deepEqual(await vscode.commands.executeCommand(GET_COMPARISON), before);
    await vscode.commands.executeCommand('robustNas.removeFromComparison', before[0]);
    assert.deepEqual(await vscode.commands.executeCommand(GET_COMPARISON), before.slice(1));
  });

  suiteTeardown(async () => {
    await (await robustNas()).comparison.clear();
  });
});
