//! PNG copies of the charts, rasterised from the same SVG with resvg.
//!
//! resvg draws text only with fonts it was given; a family it cannot find silently falls back
//! to a font that may lack Chinese glyphs, so the text would vanish. So PNGs are written only
//! when one of the CJK families the charts ask for ([`crate::fonts::cjk`]) is installed,
//! and that family is also made the default for `sans-serif`. Otherwise the caller writes SVG
//! only and says so.
//!
//! The font files of the family found are read into memory once: with the system database
//! every text run would re-open and re-map the (large) CJK font file, which dominated the time
//! of a report with a radar per zone.

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
                        own.load_font_data(std::fs::read(path).ok()?);
                    }
                }
                other => {
                    own.load_font_source(other.clone());
                }
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
        let opt = usvg::Options {
            font_family: self.family.clone(),
            fontdb: self.fontdb.clone(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or("empty chart")?;
        let mut pixmap =
            tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("chart too large")?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
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
}
