import * as vscode from 'vscode';
import type { CellEncodingKind } from '../../core/space/encodings';
import { archTextFromArgument, type ArchTextSource } from '../editor/archArgument';
import {
  encodableArchOf,
  ENCODING_CHOICES,
  encodeArch,
  isEncodingKind,
  withIndex,
  type EncodableArch,
} from '../editor/encodeArch';
import { writeEncoding } from '../editor/writeEncoding';
import type { ExtensionServices } from '../services';

async function askArchText(prompt: string): Promise<ArchTextSource | undefined> {
  const text = await vscode.window.showInputBox({
    title: prompt,
    prompt: 'An architecture string, NAS-Bench-201 index, 6-digit op code or NASLib tuple',
    placeHolder: '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    ignoreFocusOut: true,
  });
  return text?.trim() ? { text: text.trim() } : undefined;
}

async function pickEncoding(
  arch: EncodableArch,
  title: string,
  exclude?: CellEncodingKind,
): Promise<CellEncodingKind | undefined> {
  const items = ENCODING_CHOICES.filter((c) => c.kind !== exclude).map((c) => ({
    label: c.label,
    // The index is the one encoding the data must give; without it the other three still work.
    description:
      c.kind === 'index' && arch.index === undefined
        ? 'from the benchmark data (not loaded yet)'
        : encodeArch(arch, c.kind),
    detail: c.detail,
    encoding: c.kind,
  }));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return picked?.encoding;
}

/**
 * Convert Architecture Encoding: the selection, the architecture under the cursor, an argument, or typed text ->
 * a picked encoding -> replaces the text in the editor (written as it fits there: the same rule as the lightbulb's
 * conversions) or copies it. Args `[text?, target?]` skip the prompts (the
 * result is then copied unless it came from the editor). Returns the converted text.
 */
export function convertEncoding(s: ExtensionServices) {
  return async (textArg?: unknown, targetArg?: unknown): Promise<string | undefined> => {
    const source = archTextFromArgument(textArg) ?? (await askArchText('Convert Architecture Encoding'));
    if (!source) return undefined;
    const arch = await encodableArchOf(source.text, s.benchmark);
    const target = isEncodingKind(targetArg)
      ? targetArg
      : await pickEncoding(
          arch,
          `Convert ${source.text.length > 40 ? source.text.slice(0, 40) + '…' : source.text} to`,
          arch.kind,
        );
    if (!target) return undefined;
    const converted = encodeArch(target === 'index' ? await withIndex(arch, s.benchmark) : arch, target);
    const editor = source.editor;
    const range = source.range;
    let replace = false;
    if (editor && range && !isEncodingKind(targetArg)) {
      const action = await vscode.window.showQuickPick(['Replace in the editor', 'Copy to the clipboard'], {
        title: converted,
      });
      if (!action) return undefined;
      replace = action.startsWith('Replace');
    } else if (editor && range) {
      replace = true;
    }
    if (replace && editor && range) {
      const ok = await writeEncoding(editor, [range], target, converted);
      if (!ok)
        throw new Error(
          'The editor rejected the edit (was the document changed or closed meanwhile?). Run the command again.',
        );
    } else {
      await vscode.env.clipboard.writeText(converted);
      void vscode.window.setStatusBarMessage(`Robust NAS: copied ${converted}`, 3000);
    }
    return converted;
  };
}

/**
 * Copy As: args `[text, what]` from hover links (what: 'string' | 'index' | 'code' | 'naslib'); without `what`, a
 * picker; without text, the editor's architecture. Returns the copied text.
 */
export function copyAs(s: ExtensionServices) {
  return async (textArg?: unknown, whatArg?: unknown): Promise<string | undefined> => {
    const source = archTextFromArgument(textArg) ?? (await askArchText('Copy Architecture As'));
    if (!source) return undefined;
    const arch = await encodableArchOf(source.text, s.benchmark);
    const what = isEncodingKind(whatArg) ? whatArg : await pickEncoding(arch, 'Copy as');
    if (!what) return undefined;
    const text = encodeArch(what === 'index' ? await withIndex(arch, s.benchmark) : arch, what);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Robust NAS: copied ${text}`, 3000);
    return text;
  };
}
