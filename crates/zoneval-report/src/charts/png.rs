//! PNG copies of the charts, rasterised from the same SVG with resvg.
//!
//! resvg draws text only with fonts it was given; a family it cannot find silently falls back
//! to a font that may lack Chinese glyphs, so the text would vanish. So PNGs are written only
//! when one of the CJK families the charts ask for ([`crate::fonts::cjk`]) is installed,
//! and that family is also made the default for `sans-serif`. Otherwise the caller writes SVG
//! only and says so.
//!
//! The font files of the family found are mapped into memory once: with the system database
//! every text run would re-open and re-map the (large) CJK font file, which dominated the time
//! of a report with a radar per zone. (Mapped, not read: reading the 40 MB of a Noto CJK pair
//! cost more than the glyphs the charts use.)
//!
//! A report's charts are rasterised as a [`Batch`]: a top-level element that recurs across
//! charts drawn on the same canvas (a radar's grid, axis labels and legend, repeated for every
//! zone) is parsed — its text shaped and turned into outlines — once, and drawn into each
//! chart in its place. resvg draws a tree's top-level nodes one after another onto the pixmap,
//! so drawing a chart as a sequence of trees, each holding a run of its top-level elements in
//! order, gives exactly the pixels of drawing it whole. The recurring elements are moved to the
//! front where the pixels they touch are disjoint from those of every element they pass (two
//! drawings that touch no common pixel commute exactly), and that front part is drawn once per
//! batch: each chart starts from a copy of it and draws only the rest.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

/// Renders SVG to PNG with a CJK font.
pub struct Rasterizer {
    fontdb: Arc<usvg::fontdb::Database>,
    /// The CJK family found.
    pub family: String,
}

impl Rasterizer {
    /// Loads the system fonts (once per process) and looks for a CJK family.
    pub fn system() -> Option<&'static Rasterizer> {
        static CELL: OnceLock<Option<Rasterizer>> = OnceLock::new();
        CELL.get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Rasterizer::with_database(&db)
        })
        .as_ref()
    }

    /// Uses the first of the CJK families ([`crate::fonts::cjk`]) that `db` holds (None when it holds none): the files
    /// of that family's faces are read into a database of their own.
    pub fn with_database(db: &usvg::fontdb::Database) -> Option<Rasterizer> {
        let has =
            |face: &usvg::fontdb::FaceInfo, f: &str| face.families.iter().any(|(n, _)| n == f);
        let family = crate::fonts::cjk()
            .find(|f| db.faces().any(|face| has(face, f)))?
            .to_string();
        let mut own = usvg::fontdb::Database::new();
        let mut seen: Vec<std::path::PathBuf> = Vec::new();
        for face in db.faces().filter(|face| has(face, &family)) {
            match &face.source {
                usvg::fontdb::Source::File(path) => {
                    if !seen.contains(path) {
                        seen.push(path.clone());
                        own.load_font_file(path).ok()?;
                    }
                }
                other => {
                    own.load_font_source(other.clone());
                }
            }
        }
        let ids: Vec<usvg::fontdb::ID> = own.faces().map(|f| f.id).collect();
        for id in ids {
            // SAFETY: the mapping is read-only and lives as long as the database; an
            // installed font file is not rewritten while a report is being drawn (the system
            // database resvg uses otherwise maps the same files the same way).
            unsafe {
                own.make_shared_face_data(id);
            }
        }
        own.set_sans_serif_family(family.clone());
        Some(Rasterizer {
            fontdb: Arc::new(own),
            family,
        })
    }

    /// The PNG of `svg` at `scale` × its size (2 gives crisp text on paper and screens).
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let tree = self.tree(svg)?;
        let mut pixmap = canvas(&tree, scale)?;
        draw(&tree, scale, &mut pixmap);
        encode(&pixmap)
    }

    fn tree(&self, svg: &str) -> Result<usvg::Tree, String> {
        let opt = usvg::Options {
            font_family: self.family.clone(),
            fontdb: self.fontdb.clone(),
            ..usvg::Options::default()
        };
        usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())
    }
}

/// The transparent canvas for `tree` at `scale`.
fn canvas(tree: &usvg::Tree, scale: f32) -> Result<tiny_skia::Pixmap, String> {
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty chart")?;
    tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| "chart too large".into())
}

fn draw(tree: &usvg::Tree, scale: f32, pixmap: &mut tiny_skia::Pixmap) {
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
}

fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    // Every chart paints an opaque background first, so premultiplied RGBA equals
    // straight RGBA and the pixels can be written as they are.
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Up);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(pixmap.data())
        .map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// An SVG document cut at its top level: the root's opening tag without the attributes that
/// draw nothing (`role`, `aria-label`: a radar's names its zone), and the root's child
/// elements in order (`<title>` and `<desc>` left out: they draw nothing).
struct Cut<'a> {
    head: String,
    pieces: Vec<&'a str>,
}

/// Markup that makes an element depend on another (references, styles, definitions) or that
/// the cutter does not follow: such a document is drawn whole.
const WHOLE: &[&str] = &[
    "url(",
    "href",
    "<defs",
    "<style",
    "<use",
    "<symbol",
    "<marker",
    "<clipPath",
    "<mask",
    "<pattern",
    "Gradient",
    "<filter",
    "<switch",
    "<!",
    "<?",
    "class=",
    "style=",
];

/// The end of the tag opening at `s[i] == '<'` (the index after its `>`), quotes respected.
fn tag_end(s: &[u8], i: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &b) in s.iter().enumerate().skip(i + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(k + 1),
            _ => {}
        }
    }
    None
}

/// `svg` cut at its top level, or None when it must be drawn whole.
fn cut(svg: &str) -> Option<Cut<'_>> {
    if WHOLE.iter().any(|w| svg.contains(w)) {
        return None;
    }
    let s = svg.as_bytes();
    let start = svg.len() - svg.trim_start().len();
    if !svg[start..].starts_with("<svg ") {
        return None;
    }
    let open = tag_end(s, start)?;
    if s[open - 2] == b'/' {
        return None;
    }
    let mut head = svg[start..open].to_string();
    for attr in ["role", "aria-label"] {
        let pat = format!(" {attr}=\"");
        if let Some(a) = head.find(&pat) {
            let e = head[a + pat.len()..].find('"')? + a + pat.len() + 1;
            head.replace_range(a..e, "");
        }
    }
    let mut pieces = Vec::new();
    let mut i = open;
    loop {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= s.len() || s[i] != b'<' {
            return None;
        }
        if svg[i..].starts_with("</svg>") {
            return svg[i + 6..]
                .trim()
                .is_empty()
                .then_some(Cut { head, pieces });
        }
        // One element: tags until the depth is back to 0 (text has no raw `<`).
        let from = i;
        let mut depth = 0usize;
        loop {
            if s.get(i) != Some(&b'<') {
                i += svg[i..].find('<')?;
                continue;
            }
            let end = tag_end(s, i)?;
            if s[i + 1] == b'/' {
                depth = depth.checked_sub(1)?;
            } else if s[end - 2] != b'/' {
                depth += 1;
            }
            i = end;
            if depth == 0 {
                break;
            }
        }
        let piece = &svg[from..i];
        if !(piece.starts_with("<title") || piece.starts_with("<desc")) {
            pieces.push(piece);
        }
    }
}

/// The pixels a tree may touch at `scale`: its layer box (strokes, halos and filters
/// included) rounded out, with a margin for anti-aliasing.
fn pixel_box(tree: &usvg::Tree, scale: f32) -> [i64; 4] {
    let b = tree.root().abs_layer_bounding_box();
    let f = |v: f32, up: bool| {
        let v = f64::from(v) * f64::from(scale);
        (if up { v.ceil() } else { v.floor() }) as i64
    };
    [
        f(b.left(), false) - 2,
        f(b.top(), false) - 2,
        f(b.right(), true) + 2,
        f(b.bottom(), true) + 2,
    ]
}

fn disjoint(a: &[i64; 4], b: &[i64; 4]) -> bool {
    a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]
}

/// A drawn front part: the canvas after the recurring elements moved to the front.
type Front = Arc<OnceLock<Result<tiny_skia::Pixmap, String>>>;

/// What identifies a front part: the head, the scale's bits and the elements drawn in it.
type FrontKey<'a> = (usize, u32, Vec<&'a str>);

/// Charts rasterised together, their recurring top-level elements parsed once and drawn
/// once where they can go first (see the module comment).
pub struct Batch<'a> {
    raster: &'a Rasterizer,
    cuts: Vec<Option<(usize, Cut<'a>)>>,
    heads: Vec<String>,
    /// The elements that recur (head, element) with their tree, made on first use.
    shared: HashMap<(usize, &'a str), OnceLock<Result<usvg::Tree, String>>>,
    /// The recurring elements that every chart of their head has: the candidates for the
    /// front part (an element only some charts share would make each front part unique).
    everywhere: std::collections::HashSet<(usize, &'a str)>,
    /// Front parts by head, scale and the elements drawn in them.
    fronts: std::sync::Mutex<HashMap<FrontKey<'a>, Front>>,
}

/// One part of a chart to draw: a recurring element's shared tree, or a run of its own.
enum Part<'t, 'a> {
    Shared(&'t usvg::Tree, &'a str),
    Own(Box<usvg::Tree>),
}

impl Part<'_, '_> {
    fn tree(&self) -> &usvg::Tree {
        match self {
            Part::Shared(t, _) => t,
            Part::Own(t) => t,
        }
    }
}

impl<'a> Batch<'a> {
    /// Prepares the charts `svgs` (in the order [`Batch::png`] numbers them).
    pub fn new(raster: &'a Rasterizer, svgs: impl Iterator<Item = &'a str>) -> Batch<'a> {
        let mut heads: Vec<String> = Vec::new();
        let mut head_ids: HashMap<String, usize> = HashMap::new();
        // Per element: how often it occurs, and in how many charts.
        let mut count: HashMap<(usize, &'a str), (usize, usize)> = HashMap::new();
        let mut charts_per_head: Vec<usize> = Vec::new();
        let cuts: Vec<Option<(usize, Cut<'a>)>> = svgs
            .map(|svg| {
                let c = cut(svg)?;
                let h = *head_ids.entry(c.head.clone()).or_insert_with(|| {
                    heads.push(c.head.clone());
                    charts_per_head.push(0);
                    heads.len() - 1
                });
                charts_per_head[h] += 1;
                let mut seen = std::collections::HashSet::new();
                for p in &c.pieces {
                    let e = count.entry((h, p)).or_default();
                    e.0 += 1;
                    if seen.insert(*p) {
                        e.1 += 1;
                    }
                }
                Some((h, c))
            })
            .collect();
        let mut shared = HashMap::new();
        let mut everywhere = std::collections::HashSet::new();
        for (k, (n, charts)) in count {
            if n > 1 {
                shared.insert(k, OnceLock::new());
                if charts == charts_per_head[k.0] {
                    everywhere.insert(k);
                }
            }
        }
        Batch {
            raster,
            cuts,
            heads,
            shared,
            everywhere,
            fronts: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The PNG of chart `k` (whose SVG is `svg`) at `scale` × its size: the bytes of
    /// [`Rasterizer::png`].
    pub fn png(&self, k: usize, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let Some(Some((h, c))) = self.cuts.get(k) else {
            return self.raster.png(svg, scale);
        };
        let head = &self.heads[*h];
        let doc = |run: &[&str]| {
            let len = head.len() + run.iter().map(|p| p.len() + 1).sum::<usize>() + 8;
            let mut d = String::with_capacity(len);
            d.push_str(head);
            d.push('\n');
            for p in run {
                d.push_str(p);
                d.push('\n');
            }
            d.push_str("</svg>\n");
            d
        };
        // The chart as parts: each recurring element alone, the runs between them.
        let mut parts: Vec<Part<'_, 'a>> = Vec::new();
        let mut run: Vec<&str> = Vec::new();
        for p in &c.pieces {
            match self.shared.get(&(*h, *p)) {
                Some(cell) => {
                    if !run.is_empty() {
                        parts.push(Part::Own(Box::new(self.raster.tree(&doc(&run))?)));
                        run.clear();
                    }
                    let tree = cell.get_or_init(|| self.raster.tree(&doc(&[p])));
                    parts.push(Part::Shared(tree.as_ref().map_err(Clone::clone)?, p));
                }
                None => run.push(p),
            }
        }
        if !run.is_empty() || parts.is_empty() {
            parts.push(Part::Own(Box::new(self.raster.tree(&doc(&run))?)));
        }
        // Recurring elements go to the front past parts whose pixels they do not touch.
        let mut front: Vec<usize> = Vec::new();
        let mut rest: Vec<usize> = Vec::new();
        let mut rest_boxes: Vec<[i64; 4]> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let b = pixel_box(part.tree(), scale);
            let common = matches!(part, Part::Shared(_, p) if self.everywhere.contains(&(*h, *p)));
            if common && rest_boxes.iter().all(|r| disjoint(&b, r)) {
                front.push(i);
            } else {
                rest.push(i);
                rest_boxes.push(b);
            }
        }
        let mut pixmap = if front.is_empty() {
            canvas(parts[0].tree(), scale)?
        } else {
            let key: Vec<&'a str> = front
                .iter()
                .filter_map(|&i| match parts[i] {
                    Part::Shared(_, p) => Some(p),
                    Part::Own(_) => None,
                })
                .collect();
            let cell = self
                .fronts
                .lock()
                .map_err(|_| "a chart thread panicked".to_string())?
                .entry((*h, scale.to_bits(), key))
                .or_default()
                .clone();
            let drawn = cell.get_or_init(|| {
                let mut p = canvas(parts[front[0]].tree(), scale)?;
                for &i in &front {
                    draw(parts[i].tree(), scale, &mut p);
                }
                Ok(p)
            });
            drawn.as_ref().map_err(Clone::clone)?.clone()
        };
        for &i in &rest {
            draw(parts[i].tree(), scale, &mut pixmap);
        }
        encode(&pixmap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30" font-size="11" role="img" aria-label="a &quot;b&quot; > c">"#;

    #[test]
    fn documents_are_cut_at_their_top_level() {
        let svg = format!(
            "{HEAD}\n<title>t</title>\n<rect x=\"0\" y=\"0\" width=\"40\" height=\"30\" fill=\"#fff\"/>\n\
             <g transform=\"translate(1,2)\"><text x=\"1\" y=\"2\">a &lt; b<tspan>c</tspan></text><line x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"/></g>\n\
             <circle cx=\"2\" cy=\"2\" r=\"1\" fill=\"#000\"><title>x: 1 > 0</title></circle>\n</svg>\n"
        );
        let c = cut(&svg).expect("cut");
        assert_eq!(
            c.head,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30" font-size="11">"#
        );
        assert_eq!(
            c.pieces,
            [
                "<rect x=\"0\" y=\"0\" width=\"40\" height=\"30\" fill=\"#fff\"/>",
                "<g transform=\"translate(1,2)\"><text x=\"1\" y=\"2\">a &lt; b<tspan>c</tspan></text><line x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"/></g>",
                "<circle cx=\"2\" cy=\"2\" r=\"1\" fill=\"#000\"><title>x: 1 > 0</title></circle>",
            ]
        );
    }

    #[test]
    fn documents_with_references_or_odd_markup_are_drawn_whole() {
        for body in [
            "<defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\"/>",
            "<use href=\"#a\"/>",
            "<!-- a comment --><rect/>",
            "<rect style=\"fill:red\"/>",
            "<g><rect/>",
            "text outside an element",
        ] {
            assert!(cut(&format!("{HEAD}{body}</svg>")).is_none(), "{body}");
        }
        assert!(cut("<rect/>").is_none());
        assert!(cut(&format!("{HEAD}<rect/></svg>trailing")).is_none());
    }

    /// The batch draws the pixels of the whole document (needs a CJK font; skipped without).
    #[test]
    fn a_batch_draws_the_pixels_of_the_whole_document() {
        let Some(r) = Rasterizer::system() else {
            return;
        };
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"120\" viewBox=\"0 0 200 120\" font-family=\"'Noto Sans CJK SC', sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"";
        let shared = "<rect x=\"0\" y=\"0\" width=\"200\" height=\"120\" fill=\"#ffffff\"/>\n\
                      <text x=\"10\" y=\"20\" fill=\"#222\">外资 Foreign investment</text>\n\
                      <polygon points=\"100,30 140,60 100,90 60,60\" fill=\"none\" stroke=\"#e4e4e4\"/>";
        let svgs: Vec<String> = (0..3)
            .map(|k| {
                format!(
                    "{head}区{k}\">\n<title>区{k}</title>\n{shared}\n\
                     <polygon points=\"100,{a} 130,60 100,85 70,60\" fill=\"#4e79a7\" fill-opacity=\"0.25\" stroke=\"#4e79a7\" stroke-width=\"2\"/>\n\
                     <text x=\"100\" y=\"{b}\" text-anchor=\"middle\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{k}.5</text>\n\
                     <line x1=\"60\" y1=\"60\" x2=\"140\" y2=\"60\" stroke=\"#616161\" stroke-dasharray=\"4 3\"/>\n\
                     <text x=\"190\" y=\"110\" text-anchor=\"end\" fill=\"#666\">指标 100</text>\n\
                     <g opacity=\"0.5\"><circle cx=\"20\" cy=\"100\" r=\"8\" fill=\"#e15759\"/></g>\n</svg>\n",
                    a = 35 + k,
                    b = 60 + k
                )
            })
            .collect();
        let batch = Batch::new(r, svgs.iter().map(String::as_str));
        assert!(
            !batch.shared.is_empty(),
            "the shared elements are recognised"
        );
        for (k, svg) in svgs.iter().enumerate() {
            for scale in [1.5, 2.0] {
                assert_eq!(
                    batch.png(k, svg, scale).unwrap(),
                    r.png(svg, scale).unwrap(),
                    "chart {k} at {scale}"
                );
            }
        }
    }
}
