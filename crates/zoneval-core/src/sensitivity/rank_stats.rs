//! Fast ordinal ranking and streaming rank statistics.
//!
//! A Monte Carlo run ranks every zone in every sample (2,000 zones × 20,000 samples = 40 M
//! ranks), so ranking is a two-pass radix sort of quantised values packed with the zone
//! index (O(m), exact: values sharing a quantised key are ordered by comparison), and the
//! per-zone statistics are kept as rank histograms, not rank arrays: mean rank, P(rank ≤ K) and the SMAA acceptabilities are exact
//! counts, and percentiles are exact while one histogram bin holds one rank. When m² counters
//! would exceed the memory budget, bins widen to `bin` consecutive ranks (a fixed-width
//! histogram sketch): percentiles are then interpolated within a bin, so their error is at
//! most `bin − 1` ranks; the bin width is reported.

use rayon::prelude::*;

/// Ranks values, reusing its buffers between calls.
#[derive(Debug, Default)]
pub struct Ranker {
    wide: Keys<u64>,
    narrow: Keys<u32>,
    hist: Vec<u32>,
    best: u32,
}

/// Sort keys, the radix sort's second buffer and the ranks it writes.
#[derive(Debug, Default)]
struct Keys<K> {
    keys: Vec<K>,
    tmp: Vec<K>,
    ranks: Vec<u32>,
}

/// A sort key: a quantised value above `index bits` of zone index.
trait Key: Copy + Ord + Default {
    fn pack(q: u64, shift: u32, zone: usize) -> Self;
    fn bits(self) -> u64;
}

impl Key for u32 {
    #[inline(always)]
    fn pack(q: u64, shift: u32, zone: usize) -> u32 {
        ((q << shift) | zone as u64) as u32
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        u64::from(self)
    }
}

impl Key for u64 {
    #[inline(always)]
    fn pack(q: u64, shift: u32, zone: usize) -> u64 {
        (q << shift) | zone as u64
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self
    }
}

/// Below this many zones a comparison sort of the keys beats the radix passes.
const SMALL: usize = 64;

/// Up to 2^12 zones, keys of 32 bits (20 or more bits of value); beyond, 64 bits.
const NARROW_INDEX_BITS: u32 = 12;

impl Ranker {
    /// Ordinal ranks of `v` (1 = best; equal values rank the earlier zone first) into `ranks`;
    /// [`Ranker::best`] is then the first-ranked zone.
    ///
    /// Each value is quantised between the best (0) and the worst value and packed above its
    /// zone index into a sort key: 32 bits up to 4,096 zones (index bits b = ⌈log₂ m⌉, value
    /// bits min(32 − b, 2·max(b, 8)) rounded down to even — 20 for 2,000 zones, two radix
    /// digits of 10 bits), else 64 bits (value bits 2·min(⌈log₂ m⌉, 12)). A
    /// stable LSD radix sort (two passes, the second writing the ranks) or, below 64 zones, a
    /// comparison sort orders the keys. Distinct values share a key only when they differ by
    /// less than one quantisation step of the value range; such runs are then ordered by their
    /// exact values, ties by zone index. Values must be finite (the methods reject anything
    /// else).
    pub fn rank(&mut self, v: &[f64], higher_is_better: bool, ranks: &mut [u32]) {
        let m = v.len();
        self.best = 0;
        if m == 0 {
            return;
        }
        let index_bits = (usize::BITS - (m - 1).leading_zeros()).max(1);
        self.best = if index_bits <= NARROW_INDEX_BITS {
            radix(
                &mut self.narrow,
                &mut self.hist,
                v,
                higher_is_better,
                ranks,
                index_bits,
                (32 - index_bits).min(2 * index_bits.max(8)) & !1,
            )
        } else {
            let d = index_bits.min(12);
            radix(
                &mut self.wide,
                &mut self.hist,
                v,
                higher_is_better,
                ranks,
                32,
                2 * d,
            )
        };
    }

    /// The first-ranked zone after the last [`Ranker::rank`] (0 before any).
    pub fn best(&self) -> u32 {
        self.best
    }
}

/// Ranks `v` into `ranks` with keys of `value_bits` quantised value above `index_bits` of
/// zone index; returns the best zone.
fn radix<K: Key>(
    buf: &mut Keys<K>,
    hist: &mut Vec<u32>,
    v: &[f64],
    higher_is_better: bool,
    ranks: &mut [u32],
    index_bits: u32,
    value_bits: u32,
) -> u32 {
    let m = v.len();
    // Four lanes of running minima and maxima (a vectorisable reduction).
    let (mut lo4, mut hi4) = ([v[0]; 4], [v[0]; 4]);
    let mut quads = v.chunks_exact(4);
    for q in &mut quads {
        for l in 0..4 {
            lo4[l] = if q[l] < lo4[l] { q[l] } else { lo4[l] };
            hi4[l] = if q[l] > hi4[l] { q[l] } else { hi4[l] };
        }
    }
    let (mut lo, mut hi) = (lo4[0], hi4[0]);
    for &x in lo4.iter().chain(hi4.iter()).chain(quads.remainder()) {
        lo = if x < lo { x } else { lo };
        hi = if x > hi { x } else { hi };
    }
    let mask = (1u64 << value_bits) - 1;
    let scale = if hi > lo {
        mask as f64 / (hi - lo)
    } else {
        0.0
    };
    // t = (origin − x)·scale or (x − origin)·scale ∈ [0, mask], 0 = best.
    let (origin, factor) = if higher_is_better {
        (hi, -scale)
    } else {
        (lo, scale)
    };
    // Adding 2^52 rounds t to the nearest integer and leaves it in the low mantissa bits: a
    // monotone key without the range checks of a float-to-int cast.
    const ROUND: f64 = 4_503_599_627_370_496.0;
    let keys = &mut buf.keys;
    keys.clear();
    keys.extend(v.iter().enumerate().map(|(i, &x)| {
        let q = (((x - origin) * factor) + ROUND).to_bits() & mask;
        K::pack(q, index_bits, i)
    }));
    let zone_mask = (1u64 << index_bits) - 1;
    let zone = |k: K| (k.bits() & zone_mask) as usize;
    let value = |k: K| k.bits() >> index_bits;
    if m < SMALL {
        // Keys are distinct (they hold the zone index), so an unstable sort is exact.
        keys.sort_unstable();
        for (r, &k) in keys.iter().enumerate() {
            ranks[zone(k)] = r as u32 + 1;
        }
    } else {
        let d0 = value_bits / 2;
        let (n0, n1) = (1usize << d0, 1usize << (value_bits - d0));
        let (low, high) = ((n0 - 1) as u64, (n1 - 1) as u64);
        hist.clear();
        hist.resize(n0 + n1, 0);
        // Every index below is masked to a slice of exactly mask + 1 entries, so the compiler
        // drops the bounds checks; the masks never change an index (digits are below the bin
        // counts, slots and zones below m ≤ cap).
        let (h0, h1) = hist.split_at_mut(n0);
        let (h0, h1) = (&mut h0[..=low as usize], &mut h1[..=high as usize]);
        for &k in keys.iter() {
            let q = value(k);
            h0[(q & low) as usize] += 1;
            h1[((q >> d0) & high) as usize] += 1;
        }
        for h in [&mut *h0, &mut *h1] {
            let mut sum = 0;
            for c in h.iter_mut() {
                let n = *c;
                *c = sum;
                sum += n;
            }
        }
        let cap = m.next_power_of_two();
        let cm = cap - 1;
        let tmp = &mut buf.tmp;
        tmp.resize(cap, K::default());
        let tmp = &mut tmp[..=cm];
        keys.resize(cap, K::default());
        for &k in &keys[..m] {
            let slot = &mut h0[(value(k) & low) as usize];
            tmp[*slot as usize & cm] = k;
            *slot += 1;
        }
        let sorted = &mut keys[..=cm];
        let out = &mut buf.ranks;
        out.resize(cap, 0);
        let out = &mut out[..=cm];
        for &k in &tmp[..m] {
            let slot = &mut h1[((value(k) >> d0) & high) as usize];
            sorted[*slot as usize & cm] = k;
            out[zone(k) & cm] = *slot + 1;
            *slot += 1;
        }
        ranks.copy_from_slice(&out[..m]);
        keys.truncate(m);
    }
    // Order runs of equal values by exact value (ties stay in index order).
    let mut k = 0;
    while let Some(p) = keys[k..]
        .windows(2)
        .position(|w| value(w[0]) == value(w[1]))
    {
        let start = k + p;
        let mut end = start + 2;
        while end < m && value(keys[end]) == value(keys[start]) {
            end += 1;
        }
        let run = &mut keys[start..end];
        if higher_is_better {
            run.sort_by(|&a, &b| v[zone(b)].total_cmp(&v[zone(a)]).then(a.cmp(&b)));
        } else {
            run.sort_by(|&a, &b| v[zone(a)].total_cmp(&v[zone(b)]).then(a.cmp(&b)));
        }
        for (p, &key) in run.iter().enumerate() {
            ranks[zone(key)] = (start + p) as u32 + 1;
        }
        k = end;
    }
    zone(keys[0]) as u32
}

/// Number of discordant pairs between the identity order and `seq` (a permutation of
/// 1..=m): Kendall's distance, by counting inversions with a Fenwick tree.
pub fn inversions(seq: &[u32], tree: &mut Vec<u32>) -> u64 {
    let m = seq.len();
    tree.clear();
    tree.resize(m + 1, 0);
    let mut inv = 0u64;
    for (k, &x) in seq.iter().enumerate() {
        // Count earlier elements ≤ x.
        let mut i = x as usize;
        let mut le = 0u64;
        while i > 0 {
            le += u64::from(tree[i]);
            i &= i - 1;
        }
        inv += k as u64 - le;
        let mut i = x as usize;
        while i <= m {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    inv
}

/// A rank as Monte Carlo stores it between ranking and counting: `u16` when every rank fits
/// (at most 65,535 zones), else `u32`. The blocks of ranks pass from one core to another, so
/// half the bytes is half the traffic.
pub trait StoredRank: Copy + Default + Send + Sync + Into<u32> + 'static {
    /// `r` in this type (callers choose the type so that it fits).
    fn narrow(r: u32) -> Self;
}

impl StoredRank for u16 {
    fn narrow(r: u32) -> u16 {
        debug_assert!(r <= u32::from(u16::MAX));
        r as u16
    }
}

impl StoredRank for u32 {
    fn narrow(r: u32) -> u32 {
        r
    }
}

/// Σ r, Σ |r − b| and Σ (r − b)² of one zone's ranks r against its base rank b.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Moments {
    total: u64,
    dev: u64,
    dev2: u128,
}

impl Moments {
    /// Adds rank `r`, `c` times, for base rank `b`.
    #[inline(always)]
    fn add(&mut self, r: u32, b: u32, c: u64) {
        let d = u64::from(r.abs_diff(b));
        self.total += u64::from(r) * c;
        self.dev += d * c;
        self.dev2 += u128::from(d * d) * u128::from(c);
    }
}

/// Per-zone rank statistics accumulated over samples.
#[derive(Debug, Clone)]
pub struct RankStats {
    m: usize,
    top: usize,
    /// Ranks per histogram bin (1 = exact percentiles).
    pub bin: usize,
    nbins: usize,
    hist: Vec<u32>,
    accept: Vec<u64>,
    /// Each zone's base rank and the moments of its ranks.
    base: Vec<u32>,
    moments: Vec<Moments>,
    /// True while the sums lag the histograms (see [`RankStats::finish`]).
    pending: bool,
    /// Samples accumulated.
    pub samples: u64,
}

impl RankStats {
    /// Statistics for zones of base ranks `base` (one per zone) with acceptabilities for
    /// ranks 1..=`top`, using at most `budget` bytes for histograms.
    pub fn new(base: &[u32], top: usize, budget: usize) -> RankStats {
        let m = base.len();
        let top = top.clamp(1, m.max(1));
        let mut bin = 1;
        while m * m.div_ceil(bin) * 4 > budget && bin < m {
            bin *= 2;
        }
        let nbins = m.div_ceil(bin).max(1);
        RankStats {
            m,
            top,
            bin,
            nbins,
            hist: vec![0; m * nbins],
            accept: vec![0; m * top],
            base: base.to_vec(),
            moments: vec![Moments::default(); m],
            pending: false,
            samples: 0,
        }
    }

    /// Adds blocks of ranks, each zone-major: in a block of s samples, `block[i * s + t]` is
    /// zone i's rank in the block's sample t. Parallel over chunks of zones; integer counts,
    /// so the result does not depend on the order or the thread count. Several blocks at once
    /// keep each zone's histogram row in cache for more of its ranks. Call
    /// [`RankStats::finish`] before reading the statistics.
    pub fn add_blocks<R: StoredRank>(&mut self, blocks: &[&[R]]) {
        const CHUNK: usize = 64;
        let (m, nbins, top) = (self.m, self.nbins, self.top);
        if m == 0 {
            return;
        }
        // `bin` is a power of two: a shift instead of a division.
        let shift_bits = self.bin.trailing_zeros();
        debug_assert!(blocks.iter().all(|b| b.len() % m == 0));
        if self.bin == 1 {
            // Exact histograms: counting is all; the sums are read off them in `finish`.
            self.hist
                .par_chunks_mut(CHUNK * nbins)
                .enumerate()
                .for_each(|(c, h)| {
                    let z0 = c * CHUNK;
                    // Zone by zone: one zone's histogram row stays in cache while its ranks
                    // are read in sequence.
                    for (k, row) in h.chunks_mut(nbins).enumerate() {
                        for block in blocks {
                            let s = block.len() / m;
                            for &r in &block[(z0 + k) * s..(z0 + k + 1) * s] {
                                let r: u32 = r.into();
                                row[r as usize - 1] += 1;
                            }
                        }
                    }
                });
        } else {
            self.hist
                .par_chunks_mut(CHUNK * nbins)
                .zip(self.accept.par_chunks_mut(CHUNK * top))
                .zip(self.moments.par_chunks_mut(CHUNK))
                .zip(self.base.par_chunks(CHUNK))
                .enumerate()
                .for_each(|(c, (((h, acc), moments), base))| {
                    let z0 = c * CHUNK;
                    for (k, mo) in moments.iter_mut().enumerate() {
                        let row = &mut h[k * nbins..(k + 1) * nbins];
                        let a = &mut acc[k * top..(k + 1) * top];
                        for block in blocks {
                            let s = block.len() / m;
                            for &r in &block[(z0 + k) * s..(z0 + k + 1) * s] {
                                let r: u32 = r.into();
                                mo.add(r, base[k], 1);
                                let r = r as usize;
                                row[(r - 1) >> shift_bits] += 1;
                                if r <= top {
                                    a[r - 1] += 1;
                                }
                            }
                        }
                    }
                });
        }
        self.pending = self.bin == 1;
        self.samples += blocks.iter().map(|b| (b.len() / m) as u64).sum::<u64>();
    }

    /// Brings the per-zone sums up to date after the last [`RankStats::add_blocks`]: with bins
    /// of one rank the moments and the counts of ranks ≤ top are read off the histograms
    /// rather than kept while counting. The accessors below read these sums.
    pub fn finish(&mut self) {
        if !self.pending {
            return;
        }
        let (nbins, top) = (self.nbins, self.top);
        self.hist
            .par_chunks(nbins)
            .zip(self.accept.par_chunks_mut(top))
            .zip(self.moments.par_iter_mut())
            .zip(self.base.par_iter())
            .for_each(|(((row, acc), mo), &b)| {
                *mo = Moments::default();
                for (r, &c) in (1u32..).zip(row) {
                    mo.add(r, b, u64::from(c));
                }
                for (a, &c) in acc.iter_mut().zip(row) {
                    *a = u64::from(c);
                }
            });
        self.pending = false;
    }

    /// Mean over samples and zones of |rank − base rank|.
    pub fn mean_shift(&self) -> f64 {
        debug_assert!(!self.pending, "RankStats::finish not called");
        let total: u64 = self.moments.iter().map(|mo| mo.dev).sum();
        total as f64 / (self.m as f64 * self.samples as f64)
    }

    /// Mean over samples of Spearman's ρ between the sample's ranks and the base ranks,
    /// 1 − 6 Σd² / (m (m² − 1)) per sample: the Σd² of all samples are exact integers, so
    /// the mean is 1 − 6 Σd² / (m (m² − 1) · samples).
    pub fn mean_spearman(&self) -> f64 {
        debug_assert!(!self.pending, "RankStats::finish not called");
        if self.m < 2 {
            return 1.0;
        }
        let total: u128 = self.moments.iter().map(|mo| mo.dev2).sum();
        let m = self.m as f64;
        1.0 - 6.0 * total as f64 / (m * (m * m - 1.0) * self.samples as f64)
    }

    /// Mean rank of zone `i`.
    pub fn mean(&self, i: usize) -> f64 {
        debug_assert!(!self.pending, "RankStats::finish not called");
        self.moments[i].total as f64 / self.samples as f64
    }

    /// Share of samples where zone `i` has rank r, for r = 1..=top.
    pub fn acceptability(&self, i: usize) -> Vec<f64> {
        debug_assert!(!self.pending, "RankStats::finish not called");
        let n = self.samples as f64;
        self.accept[i * self.top..(i + 1) * self.top]
            .iter()
            .map(|&c| c as f64 / n)
            .collect()
    }

    /// Share of samples where zone `i` ranks ≤ top.
    pub fn p_top(&self, i: usize) -> f64 {
        debug_assert!(!self.pending, "RankStats::finish not called");
        self.accept[i * self.top..(i + 1) * self.top]
            .iter()
            .sum::<u64>() as f64
            / self.samples as f64
    }

    /// Percentile `q` (0..=1) of zone `i`'s sample ranks with numpy's default linear
    /// interpolation between order statistics.
    pub fn percentile(&self, i: usize, q: f64) -> f64 {
        self.percentiles(i, &[q])[0]
    }

    /// Several percentiles of zone `i` in one pass over its histogram.
    pub fn percentiles(&self, i: usize, qs: &[f64]) -> Vec<f64> {
        debug_assert!(!self.pending, "RankStats::finish not called");
        let n = self.samples;
        if n == 0 {
            return vec![f64::NAN; qs.len()];
        }
        // The order statistics needed, ascending, then one scan finds them all.
        let mut want: Vec<u64> = qs
            .iter()
            .flat_map(|q| {
                let lo = ((n - 1) as f64 * q).floor() as u64;
                [lo, (lo + 1).min(n - 1)]
            })
            .collect();
        want.sort_unstable();
        want.dedup();
        // Segments (first rank, width, count) in rank order. Ranks 1..=top are exact (their
        // acceptability counts); beyond, the histogram bins, the one holding rank `top` reduced
        // by what those ranks took. With bins of one rank everything is exact.
        let h = &self.hist[i * self.nbins..(i + 1) * self.nbins];
        let acc = &self.accept[i * self.top..(i + 1) * self.top];
        let exact_top = if self.bin > 1 { self.top } else { 0 };
        let bins = h.iter().enumerate().filter_map(|(b, &c)| {
            let (lo, hi) = (b * self.bin + 1, ((b + 1) * self.bin).min(self.m));
            if hi <= exact_top {
                return None;
            }
            let (lo, c) = if lo <= exact_top {
                (
                    exact_top + 1,
                    u64::from(c) - acc[lo - 1..exact_top].iter().sum::<u64>(),
                )
            } else {
                (lo, u64::from(c))
            };
            Some((lo, hi - lo + 1, c))
        });
        let segments = (1..=exact_top).map(|r| (r, 1, acc[r - 1])).chain(bins);
        let mut found = Vec::with_capacity(want.len());
        let mut before = 0u64;
        let mut w = 0;
        for (lo, width, c) in segments {
            while w < want.len() && want[w] < before + c {
                let k = want[w];
                let x = if width == 1 {
                    lo as f64
                } else {
                    // Spread the segment's c values evenly over its ranks.
                    let (lo, width) = (lo as f64, width as f64);
                    (lo + ((k - before) as f64 + 0.5) / c as f64 * width - 0.5)
                        .clamp(lo, lo + width - 1.0)
                };
                found.push((k, x));
                w += 1;
            }
            before += c;
            if w == want.len() {
                break;
            }
        }
        let stat = |k: u64| {
            found
                .iter()
                .find(|(kk, _)| *kk == k)
                .map_or(self.m as f64, |(_, x)| *x)
        };
        qs.iter()
            .map(|q| {
                let h = (n - 1) as f64 * q;
                let lo = h.floor() as u64;
                let frac = h - lo as f64;
                let a = stat(lo);
                if frac == 0.0 || lo + 1 >= n {
                    a
                } else {
                    a + frac * (stat(lo + 1) - a)
                }
            })
            .collect()
    }

    /// Number of zones.
    pub fn zones(&self) -> usize {
        self.m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample-major rows of `m` ranks → the zone-major layout of a block.
    fn zone_major(ranks: &[u32], m: usize) -> Vec<u32> {
        let s = ranks.len() / m;
        (0..m)
            .flat_map(|i| (0..s).map(move |t| ranks[t * m + i]))
            .collect()
    }

    /// Base ranks 1..=m.
    fn identity(m: usize) -> Vec<u32> {
        (1..=m as u32).collect()
    }

    fn naive_ranks(v: &[f64], higher: bool) -> Vec<u32> {
        crate::evaluation::rank::ordinal_ranks(v, higher)
            .into_iter()
            .map(|r| r as u32)
            .collect()
    }

    #[test]
    fn radix_ranking_matches_a_stable_sort() {
        let mut r = Ranker::default();
        let mut seed = 12345u64;
        for m in [1usize, 2, 3, 10, 63, 64, 100, 1000, 4096, 4097, 5000] {
            for mode in 0..3 {
                let v: Vec<f64> = (0..m)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        let u = (seed >> 11) as f64 / (1u64 << 53) as f64;
                        match mode {
                            // Clustered values: many exact ties and a far outlier.
                            1 => (u * 5.0).floor() + if u > 0.99 { 1e6 } else { 0.0 },
                            // Distinct values closer than one key step: runs ordered by value.
                            2 => 1.0 + u * 1e-9 + if u > 0.99 { 1e3 } else { 0.0 },
                            _ => u,
                        }
                    })
                    .collect();
                for higher in [true, false] {
                    let mut got = vec![0; m];
                    r.rank(&v, higher, &mut got);
                    assert_eq!(
                        got,
                        naive_ranks(&v, higher),
                        "m={m} mode={mode} higher={higher}"
                    );
                    assert_eq!(got[r.best() as usize], 1);
                }
            }
        }
    }

    #[test]
    fn inversions_count_discordant_pairs() {
        let mut t = Vec::new();
        assert_eq!(inversions(&[1, 2, 3, 4], &mut t), 0);
        assert_eq!(inversions(&[4, 3, 2, 1], &mut t), 6);
        assert_eq!(inversions(&[2, 1, 4, 3], &mut t), 2);
    }

    /// Percentiles follow numpy.percentile's default (linear): for ranks [1, 2, 2, 5] the
    /// 5th percentile is 1 + 0.15·(2 − 1) = 1.15, the median 2, the 95th 2 + 0.85·3 = 4.55.
    #[test]
    fn percentiles_match_numpy_linear() {
        let mut s = RankStats::new(&identity(5), 2, 1 << 20);
        // Zone 0's ranks over 4 samples: 1, 2, 2, 5 (sample-major rows of 5 zones).
        let ranks: Vec<u32> = [
            [1, 2, 3, 4, 5],
            [2, 1, 3, 4, 5],
            [2, 1, 3, 4, 5],
            [5, 1, 2, 3, 4],
        ]
        .concat();
        s.add_blocks(&[&zone_major(&ranks, 5)]);
        s.finish();
        assert!((s.percentile(0, 0.05) - 1.15).abs() < 1e-12);
        assert_eq!(s.percentile(0, 0.5), 2.0);
        assert!((s.percentile(0, 0.95) - 4.55).abs() < 1e-12);
        assert_eq!(s.mean(0), 2.5);
        assert_eq!(s.acceptability(0), vec![0.25, 0.5]);
        assert_eq!(s.p_top(1), 1.0);
    }

    #[test]
    fn a_small_budget_widens_bins_with_bounded_error() {
        let m = 64;
        let mut exact = RankStats::new(&identity(m), 1, 1 << 30);
        let mut coarse = RankStats::new(&identity(m), 1, m * 16 * 4);
        assert_eq!(exact.bin, 1);
        assert_eq!(coarse.bin, 4);
        // Zone i takes ranks cycling through a window around i.
        let samples = 200;
        let mut ranks = vec![0u32; m * samples];
        for s in 0..samples {
            let perm: Vec<usize> = (0..m).map(|i| (i + s) % m).collect();
            for (i, &r) in perm.iter().enumerate() {
                ranks[s * m + i] = r as u32 + 1;
            }
        }
        let block = zone_major(&ranks, m);
        exact.add_blocks(&[&block]);
        coarse.add_blocks(&[&block]);
        exact.finish();
        coarse.finish();
        for i in 0..m {
            for q in [0.05, 0.5, 0.95] {
                assert!(
                    (exact.percentile(i, q) - coarse.percentile(i, q)).abs()
                        <= (coarse.bin - 1) as f64 + 1e-9
                );
            }
            assert_eq!(exact.mean(i), coarse.mean(i));
        }
    }

    /// With wide bins, percentiles that fall on ranks ≤ K are still exact and never below 1.
    #[test]
    fn top_ranks_stay_exact_in_the_sketch() {
        let m = 64;
        let mut coarse = RankStats::new(&identity(m), 3, m * 16 * 4);
        assert_eq!(coarse.bin, 4);
        // Zone 0: rank 1 in 60 % of 100 samples, rank 2 in 30 %, rank 7 in 10 %.
        let samples = 100;
        let mut ranks = vec![0u32; m * samples];
        for s in 0..samples {
            let r0 = if s < 60 {
                1
            } else if s < 90 {
                2
            } else {
                7
            };
            let mut next = 1;
            for i in 0..m {
                let r = if i == 0 {
                    r0
                } else {
                    if next == r0 {
                        next += 1;
                    }
                    let r = next;
                    next += 1;
                    r
                };
                ranks[s * m + i] = r;
            }
        }
        coarse.add_blocks(&[&zone_major(&ranks, m)]);
        coarse.finish();
        assert_eq!(coarse.percentile(0, 0.05), 1.0);
        assert_eq!(coarse.percentile(0, 0.5), 1.0);
        assert!(coarse.percentile(0, 0.95) >= 5.0 && coarse.percentile(0, 0.95) <= 8.0);
    }

    /// Blocks added together or one by one, in any order, give identical statistics; the sums
    /// read off exact histograms equal those kept while counting into a sketch, and the shift
    /// and Spearman means match a direct computation.
    #[test]
    fn blocks_add_up_in_any_grouping() {
        let m = 7;
        let base: Vec<u32> = vec![3, 1, 2, 7, 5, 4, 6];
        let mut seed = 99u64;
        let mut perm = || {
            let mut p: Vec<u32> = (1..=m as u32).collect();
            for i in (1..m).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                p.swap(i, (seed >> 33) as usize % (i + 1));
            }
            p
        };
        let samples: Vec<Vec<u32>> = (0..10).map(|_| perm()).collect();
        let block = |rows: &[Vec<u32>]| zone_major(&rows.concat(), m);
        let (b1, b2, b3) = (
            block(&samples[..3]),
            block(&samples[3..4]),
            block(&samples[4..]),
        );
        let mut runs = Vec::new();
        // Exact bins, then a budget of 4 bins per zone: bins of 2 ranks.
        for budget in [1 << 20, m * 4 * 4] {
            let mut together = RankStats::new(&base, 2, budget);
            together.add_blocks(&[&b1, &b2, &b3]);
            together.finish();
            let mut apart = RankStats::new(&base, 2, budget);
            for b in [&b3, &b1, &b2] {
                apart.add_blocks(&[b]);
            }
            apart.finish();
            assert_eq!(together.samples, 10);
            assert_eq!(together.hist, apart.hist);
            for s in [&together, &apart] {
                runs.push((s.bin, (s.moments.clone(), s.accept.clone())));
            }
        }
        assert_eq!((runs[0].0, runs[2].0), (1, 2));
        for r in &runs[1..] {
            assert_eq!(r.1, runs[0].1);
        }
        let mut exact = RankStats::new(&base, 2, 1 << 20);
        exact.add_blocks(&[&b1, &b2, &b3]);
        exact.finish();
        let (mut shift, mut rho) = (0.0, 0.0);
        for r in &samples {
            let d: Vec<f64> = r
                .iter()
                .zip(&base)
                .map(|(&a, &b)| a as f64 - b as f64)
                .collect();
            shift += d.iter().map(|x| x.abs()).sum::<f64>() / m as f64;
            let mf = m as f64;
            rho += 1.0 - 6.0 * d.iter().map(|x| x * x).sum::<f64>() / (mf * (mf * mf - 1.0));
        }
        assert!((exact.mean_shift() - shift / 10.0).abs() < 1e-12);
        assert!((exact.mean_spearman() - rho / 10.0).abs() < 1e-12);
    }
}
