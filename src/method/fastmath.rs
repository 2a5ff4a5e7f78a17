//! A natural logarithm that the compiler can vectorise, for the entropy weights' Σ x ln x.
//!
//! `f64::ln` calls the C library one value at a time; on a 20,000 × 40 matrix that alone
//! takes longer than the whole entropy-TOPSIS evaluation is allowed to. This is the
//! fdlibm/musl `log` algorithm (argument reduction to [√2/2, √2), then a degree-14 minimax
//! polynomial in s = f/(2 + f)), written without branches so loops over columns vectorise. It
//! is exact to within an ulp for positive normal numbers; the tests compare it with `f64::ln`.

// The constants are written as published in fdlibm's e_log.c (more digits than an f64 holds).
#![allow(clippy::excessive_precision)]

const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const LG1: f64 = 6.666_666_666_666_735_130e-01;
const LG2: f64 = 3.999_999_999_940_941_908e-01;
const LG3: f64 = 2.857_142_874_366_239_149e-01;
const LG4: f64 = 2.222_219_843_214_978_396e-01;
const LG5: f64 = 1.818_357_216_161_805_012e-01;
const LG6: f64 = 1.531_383_769_920_937_332e-01;
const LG7: f64 = 1.479_819_860_511_658_591e-01;

/// ln x for positive, finite, normal x (other inputs give meaningless results).
#[inline(always)]
pub fn ln_pos(x: f64) -> f64 {
    let bits = x.to_bits();
    let hx = (bits >> 32) as u32;
    // Exponent, and the mantissa's high word moved so that x/2^k lies in [√2/2, √2).
    let hm = hx & 0x000f_ffff;
    let i = (hm + 0x95f64) & 0x0010_0000;
    let k = ((hx >> 20) as i32 - 1023) + (i >> 20) as i32;
    let xn = f64::from_bits((u64::from(hm | (0x3ff0_0000 ^ i)) << 32) | (bits & 0xffff_ffff));
    let f = xn - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    let dk = f64::from(k);
    dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
}

/// One pass over an entropy column: the total, the extremes, whether any value is negative
/// or not finite, and Σ x ln x over the values ≥ the smallest normal number (0·ln 0 = 0;
/// subnormals, below 2.2e-308, contribute nothing measurable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColumnSums {
    /// Σ x.
    pub sum: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Some value is negative, NaN or infinite (the other fields are then meaningless).
    pub invalid: bool,
    /// Σ x ln x.
    pub x_ln_x: f64,
}

#[inline(always)]
fn column_sums_body(x: &[f64]) -> ColumnSums {
    // Four lanes, combined in a fixed order at the end: the result is the same whether the
    // loop runs as scalar, SSE2 or AVX2 code (no reassociation, no fused multiply-add).
    let mut sum = [0.0f64; 4];
    let mut xl = [0.0f64; 4];
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut bad = [false; 4];
    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..4 {
            let v = c[l];
            bad[l] |= !(0.0..f64::INFINITY).contains(&v);
            sum[l] += v;
            lo[l] = if v < lo[l] { v } else { lo[l] };
            hi[l] = if v > hi[l] { v } else { hi[l] };
            let safe = if v >= f64::MIN_POSITIVE { v } else { 1.0 };
            xl[l] += v * ln_pos(safe);
        }
    }
    let mut out = ColumnSums {
        sum: (sum[0] + sum[1]) + (sum[2] + sum[3]),
        min: lo[0].min(lo[1]).min(lo[2]).min(lo[3]),
        max: hi[0].max(hi[1]).max(hi[2]).max(hi[3]),
        invalid: bad.iter().any(|b| *b),
        x_ln_x: (xl[0] + xl[1]) + (xl[2] + xl[3]),
    };
    for &v in rest {
        out.invalid |= !(0.0..f64::INFINITY).contains(&v);
        out.sum += v;
        out.min = out.min.min(v);
        out.max = out.max.max(v);
        let safe = if v >= f64::MIN_POSITIVE { v } else { 1.0 };
        out.x_ln_x += v * ln_pos(safe);
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn column_sums_avx2(x: &[f64]) -> ColumnSums {
    column_sums_body(x)
}

/// [`ColumnSums`] of `x`, using AVX2 when the processor has it (same result either way).
pub fn column_sums(x: &[f64]) -> ColumnSums {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, checked just above.
        return unsafe { column_sums_avx2(x) };
    }
    column_sums_body(x)
}

/// Σ x ln x (see [`ColumnSums`]).
pub fn sum_x_ln_x(x: &[f64]) -> f64 {
    column_sums(x).x_ln_x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the C library over 2 million values from 1e-300 to 1e300 and near 1: the
    /// relative error stays within a couple of ulps.
    #[test]
    fn agrees_with_libm() {
        let mut state = 1u64;
        let mut worst: f64 = 0.0;
        for i in 0..2_000_000u64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let x = if i % 2 == 0 {
                10f64.powf(-300.0 + 600.0 * u)
            } else {
                0.5 + u
            };
            let (a, b) = (ln_pos(x), x.ln());
            let err = if b == 0.0 {
                a.abs()
            } else {
                ((a - b) / b).abs()
            };
            worst = worst.max(err);
        }
        assert!(worst < 4.0 * f64::EPSILON, "worst relative error {worst:e}");
        assert_eq!(ln_pos(1.0), 0.0);
        assert!((ln_pos(std::f64::consts::E) - 1.0).abs() < 2e-16);
        assert!((ln_pos(f64::MIN_POSITIVE) - f64::MIN_POSITIVE.ln()).abs() < 1e-12);
    }

    /// The AVX2 and portable paths give bit-identical sums.
    #[test]
    fn dispatch_does_not_change_results() {
        let x: Vec<f64> = (0..1003)
            .map(|i| ((i * 7919) % 1000) as f64 / 7.0)
            .collect();
        let a = column_sums_body(&x);
        let b = column_sums(&x);
        assert_eq!(a.x_ln_x.to_bits(), b.x_ln_x.to_bits());
        assert_eq!(a.sum.to_bits(), b.sum.to_bits());
        assert_eq!((a.min, a.max, a.invalid), (b.min, b.max, b.invalid));
        assert!(column_sums(&[1.0, -1.0, 2.0, 3.0, 4.0]).invalid);
        assert!(column_sums(&[1.0, f64::NAN]).invalid);
    }

    #[test]
    fn sum_handles_zeros_and_tails() {
        let x: [f64; 7] = [0.0, 1.0, 2.0, 3.0, 0.5, 4.0, 0.0];
        let want: f64 = x.iter().filter(|v| **v > 0.0).map(|v| v * v.ln()).sum();
        assert!((sum_x_ln_x(&x) - want).abs() < 1e-14);
        assert_eq!(sum_x_ln_x(&[]), 0.0);
    }
}
