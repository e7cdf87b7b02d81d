/**
 * The vote of several zero-cost proxies, as Abdelfattah et al. define it (ICLR 2021; their notebook
 * `notebooks/nasbench201_correlations.ipynb` in SamsungLabs/zero-cost-nas, "Voting between 3 metrics"): for every ordered pair (i, j)
 * of architectures whose accuracies differ, each proxy votes "i is better" when its score difference s_i - s_j is
 * positive (after orienting lower-is-better proxies); "i is better" wins when at least half of the proxies vote for
 * it (a score tie is not a vote for i). The result is the fraction of those ordered pairs the majority orders like
 * the accuracy. The vote has no per-architecture score, so it is reported as this pairwise accuracy, not as a rank
 * correlation; 2p - 1 puts it on Kendall's scale. Pairs of one architecture with itself and pairs of equal accuracy
 * are left out, as in their loop. O(n^2 k): about a second for 6,466 classes and 3 proxies.
 */
export function abdelfattahVote(
  members: readonly { readonly values: ArrayLike<number>; readonly direction: 1 | -1 }[],
  accuracy: ArrayLike<number>,
): { pairs: number; pairwiseAccuracy: number; kendallScale: number } {
  const n = accuracy.length;
  const k = members.length;
  const half = k / 2;
  // Oriented scores, member-major, so the inner loop reads contiguous memory.
  const scores = members.map((m) => {
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = m.direction * m.values[i];
    return s;
  });
  const acc = Float64Array.from({ length: n }, (_, i) => accuracy[i]);
  let pairs = 0;
  let right = 0;
  // One flat row of k oriented scores per architecture: the pair loop reads two short contiguous rows.
  const rows = new Float64Array(n * k);
  for (let m = 0; m < k; m++) for (let i = 0; i < n; i++) rows[i * k + m] = scores[m][i];
  for (let i = 0; i < n; i++) {
    const ai = acc[i];
    if (Number.isNaN(ai)) continue;
    const ri = i * k;
    for (let j = i + 1; j < n; j++) {
      const diff = ai - acc[j];
      if (diff === 0 || Number.isNaN(diff)) continue;
      // Votes for i over j, and for j over i (the pair's other order); NaN scores vote for neither.
      let forI = 0;
      let forJ = 0;
      const rj = j * k;
      for (let m = 0; m < k; m++) {
        const d = rows[ri + m] - rows[rj + m];
        if (d > 0) forI++;
        else if (d < 0) forJ++;
      }
      pairs += 2;
      if (forI >= half === diff > 0) right++;
      if (forJ >= half === diff < 0) right++;
    }
  }
  const pairwiseAccuracy = pairs > 0 ? right / pairs : NaN;
  return { pairs, pairwiseAccuracy, kendallScale: 2 * pairwiseAccuracy - 1 };
}
