//! Pretty JSON with arrays of scalars on one line: a [`serde_json::ser::Formatter`] that
//! writes what serde_json's `PrettyFormatter` writes, except that a non-empty array holding
//! only numbers, booleans, `null`s and strings without escapes is written `[a, b, c]` (the
//! per-zone value arrays of results.json would otherwise take a line per number).
//!
//! The formatter cannot look ahead, so an array's output is held back until it closes or
//! something that is not a plain scalar (an object, an array, an escaped character) shows it
//! has to be written one element per line; then what was held is written as the pretty
//! formatter would have written it. At most one array is held at a time: an array inside it
//! has already decided it.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};

/// The formatter (indent two spaces, as `serde_json::to_string_pretty`).
#[derive(Debug, Default)]
pub struct ScalarArrays {
    indent: usize,
    has_value: bool,
    held: Option<Held>,
}

/// An array being held back: its pretty text so far and the byte range of each element.
#[derive(Debug, Default)]
struct Held {
    pretty: Vec<u8>,
    items: Vec<(usize, usize)>,
    start: usize,
}

impl ScalarArrays {
    fn out<W: ?Sized + Write>(&mut self, w: &mut W, b: &[u8]) -> io::Result<()> {
        match &mut self.held {
            Some(h) => {
                h.pretty.extend_from_slice(b);
                Ok(())
            }
            None => w.write_all(b),
        }
    }

    /// Writes the held array as the pretty formatter would have and stops holding it.
    fn release<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match self.held.take() {
            Some(h) => w.write_all(&h.pretty),
            None => Ok(()),
        }
    }

    fn newline_indent<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.out(w, b"\n")?;
        for _ in 0..self.indent {
            self.out(w, b"  ")?;
        }
        Ok(())
    }
}

/// Scalars are written by serde_json's own code (ryu for floats, itoa for integers), into the
/// held array or straight out.
macro_rules! scalars {
    ($($name:ident($t:ty)),* $(,)?) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W, v: $t) -> io::Result<()> {
            match &mut self.held {
                Some(h) => CompactFormatter.$name(&mut h.pretty, v),
                None => CompactFormatter.$name(w, v),
            }
        }
    )*};
}

impl Formatter for ScalarArrays {
    scalars!(
        write_bool(bool),
        write_i8(i8),
        write_i16(i16),
        write_i32(i32),
        write_i64(i64),
        write_i128(i128),
        write_u8(u8),
        write_u16(u16),
        write_u32(u32),
        write_u64(u64),
        write_u128(u128),
        write_f32(f32),
        write_f64(f64),
        write_number_str(&str),
        write_string_fragment(&str),
        write_raw_fragment(&str),
    );

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.out(w, b"null")
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.out(w, b"\"")
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.out(w, b"\"")
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, e: CharEscape) -> io::Result<()> {
        self.release(w)?;
        CompactFormatter.write_char_escape(w, e)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.release(w)?;
        self.indent += 1;
        self.has_value = false;
        self.held = Some(Held {
            pretty: b"[".to_vec(),
            ..Held::default()
        });
        Ok(())
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if let Some(h) = self.held.take() {
            if !h.items.is_empty() {
                w.write_all(b"[")?;
                for (k, &(a, b)) in h.items.iter().enumerate() {
                    if k > 0 {
                        w.write_all(b", ")?;
                    }
                    w.write_all(&h.pretty[a..b])?;
                }
                return w.write_all(b"]");
            }
            self.held = Some(h);
        }
        if self.has_value {
            self.newline_indent(w)?;
        }
        self.out(w, b"]")?;
        self.release(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            self.out(w, b",")?;
        }
        self.newline_indent(w)?;
        if let Some(h) = &mut self.held {
            h.start = h.pretty.len();
        }
        Ok(())
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        if let Some(h) = &mut self.held {
            h.items.push((h.start, h.pretty.len()));
        }
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.release(w)?;
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline_indent(w)?;
        }
        self.out(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            self.out(w, b",")?;
        }
        self.newline_indent(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.out(w, b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` with [`ScalarArrays`] (no trailing newline).
pub fn write<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, ScalarArrays::default());
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// `value` with [`ScalarArrays`] (no trailing newline).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    write(&mut out, value).expect("writing to memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::to_string;

    /// What the formatter must write: serde_json's pretty text with every array of plain
    /// scalars joined onto its opening line (the rule the formatter replaced, applied to text).
    fn expected(v: &Value) -> String {
        let pretty = serde_json::to_string_pretty(v).unwrap();
        let lines: Vec<&str> = pretty.lines().collect();
        let scalar = |t: &str| {
            let t = t.strip_suffix(',').unwrap_or(t);
            matches!(t, "null" | "true" | "false")
                || t.parse::<f64>().is_ok()
                || (t.len() >= 2
                    && t.starts_with('"')
                    && t.ends_with('"')
                    && !t[1..t.len() - 1].contains(['"', '\\']))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].ends_with('[') {
                let mut j = i + 1;
                while j < lines.len() && scalar(lines[j].trim()) {
                    j += 1;
                }
                let close = lines.get(j).map(|l| l.trim());
                if j > i + 1 && matches!(close, Some("]" | "],")) {
                    let items: Vec<&str> = lines[i + 1..j]
                        .iter()
                        .map(|l| l.trim().trim_end_matches(','))
                        .collect();
                    out.push(format!(
                        "{}{}{}",
                        lines[i],
                        items.join(", "),
                        close.unwrap()
                    ));
                    i = j + 1;
                    continue;
                }
            }
            out.push(lines[i].to_string());
            i += 1;
        }
        out.join("\n")
    }

    #[test]
    fn scalar_arrays_go_on_one_line() {
        let v = json!({
            "a": [1.5, null, 2],
            "b": [{ "x": 1 }],
            "c": ["plain", "with \"quote\""],
            "d": ["x", "y"],
            "e": []
        });
        let text = to_string(&v);
        assert!(text.contains("\"a\": [1.5, null, 2],"), "{text}");
        assert!(text.contains("\"d\": [\"x\", \"y\"],"), "{text}");
        assert!(text.contains("\"c\": [\n"), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        assert_eq!(text, expected(&v));
    }

    #[test]
    fn nested_values_match_serde_json_pretty_apart_from_scalar_arrays() {
        let cases = [
            json!([]),
            json!([[]]),
            json!({}),
            json!({ "a": {} , "b": [{}], "c": [[], [1]] }),
            json!([[1, 2], [3, [4, 5]], {"k": [true, false, null]}]),
            json!({ "z": [{ "v": [0.1, -2e300, 1e-7] }, "s", 3], "t": "x\ny" }),
            json!(["中文", "tab\there", "back\\slash", "é"]),
            json!([1, "a\"b", 2]),
            json!([[["deep"]], [[]], {"e": [{"f": [1]}]}]),
            json!(42),
            json!("top"),
            json!([null]),
            json!({"u": u64::MAX, "i": i64::MIN, "f": 0.0}),
        ];
        for v in &cases {
            let text = to_string(v);
            assert_eq!(text, expected(v), "for {v}");
            let back: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(&back, v);
        }
        // With no array of scalars the output is serde_json's own pretty text.
        let plain = json!({ "a": { "b": [{ "c": "d" }, []] }, "e": "f\"g" });
        assert_eq!(
            to_string(&plain),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
