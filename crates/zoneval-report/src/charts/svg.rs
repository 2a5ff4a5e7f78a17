//! A small SVG writer for the charts: shapes and text with escaping, a CJK-aware estimate of
//! text width (for layout without a font at hand), label truncation and axis ticks.
//!
//! Every chart names CJK-capable font families first, so viewers (browsers, resvg) pick a
//! font with Chinese glyphs before falling back to the generic `sans-serif`.

use std::fmt::Write as _;
use std::sync::LazyLock;

use unicode_width::UnicodeWidthChar;

/// The font families every chart asks for, CJK-capable ones first ([`crate::fonts`]).
pub fn font_family() -> &'static str {
    static FAMILY: LazyLock<String> = LazyLock::new(crate::fonts::svg_family);
    &FAMILY
}

/// Attributes that give text a white halo, so it stays legible over grid and threshold lines.
pub const HALO: &str =
    "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

pub use crate::escape::xml as esc;

/// Estimated width of `s` at font size `size`: wide (CJK) characters one em, others 0.58 em
/// (a little above Noto Sans' average Latin advance, so estimates err on the wide side).
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c.width().unwrap_or(0) {
            0 => 0.0,
            2 => 1.0,
            _ => 0.58,
        })
        .sum::<f64>()
        * size
}

/// `s` cut to fit `max` (with "…") at font size `size`.
pub fn fit(s: &str, max: f64, size: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let budget = max - text_width("…", size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), size);
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// A number for SVG coordinates: two decimals, no trailing zeros.
pub fn n(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// "Nice" tick values covering [lo, hi], about `count` of them.
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !(hi > lo) || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|k| k * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// Whole-number ticks (ranks) covering [lo, hi], about `count` of them.
pub fn int_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let t = ticks(lo, hi, count);
    let step = if t.len() > 1 {
        (t[1] - t[0]).ceil().max(1.0)
    } else {
        1.0
    };
    let mut v = lo.ceil();
    let mut out = Vec::new();
    while v <= hi + 1e-9 {
        out.push(v);
        v += step;
    }
    out
}

/// A tick label: integers without decimals, others with as few as the step needs.
pub fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Text anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned.
    Start,
    /// Centred.
    Middle,
    /// Right-aligned.
    End,
}

impl Anchor {
    fn word(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written.
pub struct Svg {
    buf: String,
}

// The primitives take their SVG attributes positionally, as the SVG elements have them.
#[allow(clippy::too_many_arguments)]
impl Svg {
    /// Starts a `w × h` drawing with a white background and `title` as its accessible name.
    pub fn new(w: f64, h: f64, title: &str) -> Svg {
        let mut buf = String::with_capacity(4096);
        let _ = write!(
            buf,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{f}\" font-size=\"11\" role=\"img\" aria-label=\"{t}\">\n\
             <title>{t}</title>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = n(w),
            h = n(h),
            t = esc(title),
            f = font_family(),
        );
        Svg { buf }
    }

    /// A rectangle; `extra` is appended inside the tag (e.g. `stroke="#000"`).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = writeln!(
            self.buf,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{}{extra}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// A rectangle with a tooltip.
    pub fn rect_tip(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str, tip: &str) {
        let _ = writeln!(
            self.buf,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{}{extra}><title>{}</title></rect>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            if extra.is_empty() { "" } else { " " },
            esc(tip)
        );
    }

    /// A line.
    pub fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        extra: &str,
    ) {
        let _ = writeln!(
            self.buf,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"{}{extra}/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            n(width),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, extra: &str) {
        let _ = writeln!(
            self.buf,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"{}{extra}/>",
            n(cx),
            n(cy),
            n(r),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// A closed polygon.
    pub fn polygon(&mut self, pts: &[(f64, f64)], fill: &str, extra: &str) {
        let p: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = writeln!(
            self.buf,
            "<polygon points=\"{}\" fill=\"{fill}\"{}{extra}/>",
            p.join(" "),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// An open polyline.
    pub fn polyline(&mut self, pts: &[(f64, f64)], stroke: &str, width: f64, extra: &str) {
        let p: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = writeln!(
            self.buf,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\"{}{extra}/>",
            p.join(" "),
            n(width),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// Text at (x, y) (baseline).
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        anchor: Anchor,
        fill: &str,
        extra: &str,
    ) {
        let _ = writeln!(
            self.buf,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{fill}\"{}{extra}>{}</text>",
            n(x),
            n(y),
            n(size),
            anchor.word(),
            if extra.is_empty() { "" } else { " " },
            esc(s)
        );
    }

    /// The chart title, bold, at the top left.
    pub fn title(&mut self, x: f64, y: f64, s: &str) {
        self.text(
            x,
            y,
            s,
            14.0,
            Anchor::Start,
            "#222222",
            "font-weight=\"bold\"",
        );
    }

    /// Raw markup (already escaped), for groups and transforms.
    pub fn raw(&mut self, s: &str) {
        self.buf.push_str(s);
        self.buf.push('\n');
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.buf.push_str("</svg>\n");
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_one_em() {
        assert_eq!(text_width("中文", 10.0), 20.0);
        assert!((text_width("ab", 10.0) - 11.6).abs() < 1e-9);
        let f = fit("青岛经济技术开发区", 50.0, 10.0);
        assert!(f.ends_with('…') && text_width(&f, 10.0) <= 50.0, "{f}");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(n(-0.001), "0");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let mut s = Svg::new(10.0, 10.0, "]]><script>");
        s.text(0.0, 0.0, "A & 'B'", 9.0, Anchor::Start, "#000", "");
        let svg = s.finish();
        assert!(svg.contains("]]&gt;&lt;script&gt;"), "{svg}");
        assert!(svg.contains(">A &amp; &#39;B&#39;</text>"), "{svg}");
        assert!(svg.contains(&format!("font-family=\"{}\"", font_family())));
    }
}
