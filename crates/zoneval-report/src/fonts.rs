//! The one list of font families the report asks for, CJK-capable ones first, from which the
//! CSS `font-family` of the HTML page, the `font-family` of every SVG chart and the families
//! the PNG rasteriser looks for are generated.

/// A CJK-capable family, and whether the HTML page names it (the page leaves out families
/// that only matter to SVG viewers and falls back to the browser's `system-ui` instead).
struct Family {
    name: &'static str,
    css: bool,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "Noto Sans CJK SC",
        css: true,
    },
    Family {
        name: "Noto Sans SC",
        css: true,
    },
    Family {
        name: "Source Han Sans SC",
        css: true,
    },
    Family {
        name: "WenQuanYi Micro Hei",
        css: true,
    },
    Family {
        name: "WenQuanYi Zen Hei",
        css: false,
    },
    Family {
        name: "Microsoft YaHei",
        css: true,
    },
    Family {
        name: "PingFang SC",
        css: true,
    },
    Family {
        name: "Hiragino Sans GB",
        css: true,
    },
    Family {
        name: "Heiti SC",
        css: false,
    },
];

/// The CJK families, in order of preference (the rasteriser uses the first one installed).
pub fn cjk() -> impl Iterator<Item = &'static str> {
    FAMILIES.iter().map(|f| f.name)
}

/// The SVG `font-family` attribute value: every CJK family, then `sans-serif`.
pub fn svg_family() -> String {
    let mut names: Vec<String> = cjk().map(|f| format!("'{f}'")).collect();
    names.push("sans-serif".into());
    names.join(", ")
}

/// The CSS `font-family` declaration of the page body (indented by two spaces like the rest
/// of the stylesheet), wrapped before a line would pass 100 columns.
pub fn css_declaration() -> String {
    let names = FAMILIES
        .iter()
        .filter(|f| f.css)
        .map(|f| format!("\"{}\"", f.name))
        .chain(["system-ui".to_string(), "sans-serif".to_string()]);
    let mut out = String::from("  font-family:");
    let mut line = out.len();
    for (k, n) in names.enumerate() {
        let sep = if k == 0 { "" } else { "," };
        if line + sep.len() + 1 + n.len() + 1 > 100 {
            out.push_str(sep);
            out.push_str("\n  ");
            line = 2;
        } else {
            out.push_str(sep);
            out.push(' ');
            line += sep.len() + 1;
        }
        out.push_str(&n);
        line += n.len();
    }
    out.push(';');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_names_every_family_then_the_generic_one() {
        let f = svg_family();
        assert!(f.starts_with("'Noto Sans CJK SC', 'Noto Sans SC'"), "{f}");
        assert!(f.ends_with("'Heiti SC', sans-serif"), "{f}");
        assert_eq!(f.matches('\'').count(), 2 * cjk().count());
    }

    #[test]
    fn css_declaration_wraps_and_ends_with_generic_families() {
        let d = css_declaration();
        assert!(d.lines().all(|l| l.chars().count() <= 100), "{d}");
        assert!(d.ends_with("system-ui, sans-serif;"), "{d}");
        assert!(!d.contains("Heiti SC"));
    }
}
