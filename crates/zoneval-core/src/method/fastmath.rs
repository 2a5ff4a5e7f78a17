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
///
/// All integer work stays in 64-bit lanes and the exponent becomes a float through the
/// 2^52 + 2^51 bias trick, so the compiler can keep a whole loop in vector registers (AVX2 has
/// no 64-bit integer to float conversion).
#[inline(always)]
pub fn ln_pos(x: f64) -> f64 {
    const BIAS: f64 = 6_755_399_441_055_744.0; // 2^52 + 2^51
    let bits = x.to_bits();
    let hx = bits >> 32;
    // Mantissa high word moved so that x/2^k lies in [√2/2, √2).
    let hm = hx & 0x000f_ffff;
    let i = (hm + 0x95f64) & 0x0010_0000;
    let xn = f64::from_bits(((hm | (0x3ff0_0000 ^ i)) << 32) | (bits & 0xffff_ffff));
    // k = exponent − 1023 + (i >> 20), as a float: (biased exponent + i>>20 + 2^51 − 1023) read
    // as the mantissa of 2^52 + 2^51, then the bias subtracted.
    let kb = (hx >> 20) + (i >> 20) + (1u64 << 51) - 1023;
    let dk = f64::from_bits(0x4330_0000_0000_0000 | kb) - BIAS;
    let f = xn - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
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

/// Combines the four lanes in a fixed order and adds the tail (fewer than four values) one by
/// one: shared by the portable and the AVX2 code, so both finish identically.
#[inline(always)]
fn combine(
    sum: [f64; 4],
    lo: [f64; 4],
    hi: [f64; 4],
    bad: bool,
    xl: [f64; 4],
    rest: &[f64],
) -> ColumnSums {
    let mut out = ColumnSums {
        sum: (sum[0] + sum[1]) + (sum[2] + sum[3]),
        min: lo[0].min(lo[1]).min(lo[2]).min(lo[3]),
        max: hi[0].max(hi[1]).max(hi[2]).max(hi[3]),
        invalid: bad,
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

#[inline(always)]
fn column_sums_body(x: &[f64]) -> ColumnSums {
    // Four lanes, combined in a fixed order at the end (no reassociation, no fused
    // multiply-add): the AVX2 version computes exactly the same numbers.
    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    let mut sum = [0.0f64; 4];
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut bad = false;
    let mut xl = [0.0f64; 4];
    for c in chunks {
        for l in 0..4 {
            let v = c[l];
            bad |= !(0.0..f64::INFINITY).contains(&v);
            sum[l] += v;
            lo[l] = if v < lo[l] { v } else { lo[l] };
            hi[l] = if v > hi[l] { v } else { hi[l] };
            let safe = if v >= f64::MIN_POSITIVE { v } else { 1.0 };
            xl[l] += v * ln_pos(safe);
        }
    }
    combine(sum, lo, hi, bad, xl, rest)
}

/// The same computation as [`column_sums_body`] with explicit AVX2 instructions: lane l of
/// each vector does exactly the operations of lane l of the portable code, in the same order
/// (no fused multiply-add), so the results are bit-identical.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn column_sums_avx2(x: &[f64]) -> ColumnSums {
    use std::arch::x86_64::*;

    #[inline(always)]
    fn ln_v(x: __m256d) -> __m256d {
        // SAFETY (whole body): AVX2 is enabled for the enclosing function; these are register
        // operations without memory access.
        unsafe {
            let bits = _mm256_castpd_si256(x);
            let hx = _mm256_srli_epi64::<32>(bits);
            let hm = _mm256_and_si256(hx, _mm256_set1_epi64x(0x000f_ffff));
            let i = _mm256_and_si256(
                _mm256_add_epi64(hm, _mm256_set1_epi64x(0x95f64)),
                _mm256_set1_epi64x(0x0010_0000),
            );
            let hi_word = _mm256_or_si256(hm, _mm256_xor_si256(i, _mm256_set1_epi64x(0x3ff0_0000)));
            let xn_bits = _mm256_or_si256(
                _mm256_slli_epi64::<32>(hi_word),
                _mm256_and_si256(bits, _mm256_set1_epi64x(0xffff_ffff)),
            );
            let xn = _mm256_castsi256_pd(xn_bits);
            let kb = _mm256_add_epi64(
                _mm256_add_epi64(_mm256_srli_epi64::<20>(hx), _mm256_srli_epi64::<20>(i)),
                _mm256_set1_epi64x((1i64 << 51) - 1023),
            );
            let dk = _mm256_sub_pd(
                _mm256_castsi256_pd(_mm256_or_si256(
                    kb,
                    _mm256_set1_epi64x(0x4330_0000_0000_0000),
                )),
                _mm256_set1_pd(6_755_399_441_055_744.0),
            );
            let f = _mm256_sub_pd(xn, _mm256_set1_pd(1.0));
            let s = _mm256_div_pd(f, _mm256_add_pd(_mm256_set1_pd(2.0), f));
            let z = _mm256_mul_pd(s, s);
            let w = _mm256_mul_pd(z, z);
            let c = _mm256_set1_pd;
            let t1 = _mm256_mul_pd(
                w,
                _mm256_add_pd(
                    c(LG2),
                    _mm256_mul_pd(w, _mm256_add_pd(c(LG4), _mm256_mul_pd(w, c(LG6)))),
                ),
            );
            let t2 = _mm256_mul_pd(
                z,
                _mm256_add_pd(
                    c(LG1),
                    _mm256_mul_pd(
                        w,
                        _mm256_add_pd(
                            c(LG3),
                            _mm256_mul_pd(w, _mm256_add_pd(c(LG5), _mm256_mul_pd(w, c(LG7)))),
                        ),
                    ),
                ),
            );
            let r = _mm256_add_pd(t2, t1);
            let hfsq = _mm256_mul_pd(_mm256_mul_pd(c(0.5), f), f);
            let inner = _mm256_add_pd(
                _mm256_mul_pd(s, _mm256_add_pd(hfsq, r)),
                _mm256_mul_pd(dk, c(LN2_LO)),
            );
            _mm256_sub_pd(
                _mm256_mul_pd(dk, c(LN2_HI)),
                _mm256_sub_pd(_mm256_sub_pd(hfsq, inner), f),
            )
        }
    }

    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    // SAFETY: AVX2 is enabled for this function; loads read exactly the 4 values of a chunk.
    let (sum, lo, hi, bad, xl) = unsafe {
        let mut sum = _mm256_setzero_pd();
        let mut lo = _mm256_set1_pd(f64::INFINITY);
        let mut hi = _mm256_set1_pd(f64::NEG_INFINITY);
        let mut ok_all = 0xf;
        let mut xl = _mm256_setzero_pd();
        let zero = _mm256_setzero_pd();
        let inf = _mm256_set1_pd(f64::INFINITY);
        let min_pos = _mm256_set1_pd(f64::MIN_POSITIVE);
        let one = _mm256_set1_pd(1.0);
        for c in chunks {
            let v = _mm256_loadu_pd(c.as_ptr());
            let ok = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(v, zero),
                _mm256_cmp_pd::<_CMP_LT_OQ>(v, inf),
            );
            ok_all &= _mm256_movemask_pd(ok);
            sum = _mm256_add_pd(sum, v);
            // min_pd(v, lo) = v < lo ? v : lo, as the portable code.
            lo = _mm256_min_pd(v, lo);
            hi = _mm256_max_pd(v, hi);
            let safe = _mm256_blendv_pd(one, v, _mm256_cmp_pd::<_CMP_GE_OQ>(v, min_pos));
            xl = _mm256_add_pd(xl, _mm256_mul_pd(v, ln_v(safe)));
        }
        let mut a = [[0.0f64; 4]; 4];
        _mm256_storeu_pd(a[0].as_mut_ptr(), sum);
        _mm256_storeu_pd(a[1].as_mut_ptr(), lo);
        _mm256_storeu_pd(a[2].as_mut_ptr(), hi);
        _mm256_storeu_pd(a[3].as_mut_ptr(), xl);
        (a[0], a[1], a[2], ok_all != 0xf, a[3])
    };
    combine(sum, lo, hi, bad, xl, rest)
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
