//! The `/stats` chart as a PNG, drawn in-process: `plotters` draws the shapes into an RGB
//! buffer, the labels are rasterised with `ab_glyph` from a font embedded in the binary
//! (DejaVu Sans), and `png` encodes it. No browser, no system font.
//!
//! Top: posts per week stacked by kind, with the promotional share as a line against the
//! one-in-five line (dashed). Bottom: median interactions per post, by kind: does dialogue
//! earn more than broadcasting here?

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::*;

use super::render::{fill, kind_name, percent};
use super::{PostKind, Stats, PROMO_LINE};
use crate::review::Language;

/// The chart's size in pixels.
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 640;

const FONT: &[u8] = include_bytes!("DejaVuSans.ttf");

/// Why the chart could not be drawn (never expected: the sizes are ours).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart: {0}")]
    Draw(String),
    #[error("encoding the chart: {0}")]
    Encode(String),
}

fn colour(kind: PostKind) -> RGBColor {
    match kind {
        PostKind::Reply => RGBColor(46, 139, 87),
        PostKind::Broadcast => RGBColor(120, 130, 150),
        PostKind::Promotional => RGBColor(214, 96, 77),
        PostKind::Relay => RGBColor(70, 110, 200),
    }
}

fn count(w: &super::Week, kind: PostKind) -> usize {
    match kind {
        PostKind::Reply => w.replies,
        PostKind::Broadcast => w.broadcasts,
        PostKind::Promotional => w.promotional,
        PostKind::Relay => w.relays,
    }
}

/// A label to write once the shapes are drawn.
struct Label {
    x: i32,
    y: i32,
    size: f32,
    text: String,
    colour: (u8, u8, u8),
}

/// The chart of `s`, labelled in `lang`, as PNG bytes.
pub fn png(s: &Stats, lang: Language) -> Result<Vec<u8>, ChartError> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut buf = vec![255u8; w * h * 3];
    let labels = draw_shapes(&mut buf, s, lang)?;
    let font = FontRef::try_from_slice(FONT).map_err(|e| ChartError::Draw(e.to_string()))?;
    for l in &labels {
        write(&mut buf, &font, l);
    }
    encode(&buf)
}

fn draw_shapes(buf: &mut [u8], s: &Stats, lang: Language) -> Result<Vec<Label>, ChartError> {
    let err = |e: DrawingAreaErrorKind<_>| ChartError::Draw(format!("{e:?}"));
    let root = BitMapBackend::with_buffer(buf, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let mut labels = vec![Label {
        x: 20,
        y: 12,
        size: 17.0,
        text: super::render::title(s, lang),
        colour: (20, 20, 20),
    }];
    labels.push(Label {
        x: 20,
        y: 40,
        size: 13.0,
        text: fill("chart.weeks", lang, &[]),
        colour: (60, 60, 60),
    });
    // Top panel: weeks.
    let (left, right, top, bottom) = (70i32, WIDTH as i32 - 70, 80i32, 360i32);
    let axis = BLACK.mix(0.6);
    root.draw(&PathElement::new(
        vec![(left, top), (left, bottom), (right, bottom)],
        axis,
    ))
    .map_err(err)?;
    if s.weeks.is_empty() {
        labels.push(Label {
            x: left + 20,
            y: (top + bottom) / 2,
            size: 16.0,
            text: fill("chart.empty", lang, &[]),
            colour: (90, 90, 90),
        });
    }
    let most = s.weeks.iter().map(|w| w.total()).max().unwrap_or(0).max(1);
    let slot = (right - left) as f64 / s.weeks.len().max(1) as f64;
    let y_of = |n: f64| bottom - ((n / most as f64) * f64::from(bottom - top - 10)) as i32;
    let share_y = |share: f64| bottom - (share * f64::from(bottom - top - 10)) as i32;
    for (i, week) in s.weeks.iter().enumerate() {
        // Bars at most 60 px wide, centred in their week's slot.
        let half = (slot * 0.35).min(30.0);
        let centre = slot * (i as f64 + 0.5);
        let x0 = left + (centre - half) as i32;
        let x1 = left + (centre + half) as i32;
        let mut stacked = 0usize;
        for kind in PostKind::ALL {
            let n = count(week, kind);
            if n == 0 {
                continue;
            }
            let (y0, y1) = (y_of(stacked as f64), y_of((stacked + n) as f64));
            root.draw(&Rectangle::new([(x0, y1), (x1, y0)], colour(kind).filled()))
                .map_err(err)?;
            stacked += n;
        }
        if s.weeks.len() <= 16 || i % 2 == 0 {
            labels.push(Label {
                x: x0,
                y: bottom + 6,
                size: 11.0,
                text: week.start.format("%m-%d").to_string(),
                colour: (60, 60, 60),
            });
        }
    }
    // The promotional share, on the right-hand scale (0 to 100 %), and the line at 20 %.
    let points: Vec<(i32, i32)> = s
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            (
                left + (slot * (i as f64 + 0.5)) as i32,
                share_y(w.promo_share),
            )
        })
        .collect();
    if points.len() > 1 {
        root.draw(&PathElement::new(points.clone(), BLACK.stroke_width(2)))
            .map_err(err)?;
    }
    for p in &points {
        root.draw(&Circle::new(*p, 4, BLACK.filled()))
            .map_err(err)?;
    }
    let line_y = share_y(PROMO_LINE);
    let mut x = left;
    while x < right {
        root.draw(&PathElement::new(
            vec![(x, line_y), ((x + 8).min(right), line_y)],
            RGBColor(214, 96, 77).stroke_width(2),
        ))
        .map_err(err)?;
        x += 14;
    }
    labels.push(Label {
        x: right + 6,
        y: line_y - 7,
        size: 11.0,
        text: percent(PROMO_LINE, lang),
        colour: (214, 96, 77),
    });
    labels.push(Label {
        x: 8,
        y: top - 6,
        size: 11.0,
        text: most.to_string(),
        colour: (60, 60, 60),
    });
    labels.push(Label {
        x: 8,
        y: bottom - 8,
        size: 11.0,
        text: "0".into(),
        colour: (60, 60, 60),
    });
    // The legend.
    let mut lx = left;
    for kind in PostKind::ALL {
        root.draw(&Rectangle::new(
            [(lx, 390), (lx + 14, 404)],
            colour(kind).filled(),
        ))
        .map_err(err)?;
        let name = kind_name(kind, lang);
        labels.push(Label {
            x: lx + 20,
            y: 389,
            size: 13.0,
            text: name.clone(),
            colour: (30, 30, 30),
        });
        lx += 40 + 9 * name.chars().count() as i32;
    }
    // Bottom panel: median interactions per post, by kind.
    labels.push(Label {
        x: 20,
        y: 425,
        size: 13.0,
        text: fill("chart.engagement", lang, &[]),
        colour: (60, 60, 60),
    });
    let (top2, bottom2) = (460i32, HEIGHT as i32 - 50);
    root.draw(&PathElement::new(
        vec![(left, top2), (left, bottom2), (right, bottom2)],
        axis,
    ))
    .map_err(err)?;
    let best = s
        .engagement
        .iter()
        .map(|e| e.median)
        .fold(0.0f64, f64::max)
        .max(1.0);
    let slot2 = (right - left) / PostKind::ALL.len() as i32;
    for (i, kind) in PostKind::ALL.iter().enumerate() {
        let median = s
            .engagement
            .iter()
            .find(|e| e.kind == *kind)
            .map_or(0.0, |e| e.median);
        let x0 = left + slot2 * i as i32 + slot2 / 4;
        let x1 = left + slot2 * (i as i32 + 1) - slot2 / 4;
        let y = bottom2 - ((median / best) * f64::from(bottom2 - top2 - 20)) as i32;
        if median > 0.0 {
            root.draw(&Rectangle::new(
                [(x0, y), (x1, bottom2)],
                colour(*kind).filled(),
            ))
            .map_err(err)?;
        }
        labels.push(Label {
            x: x0,
            y: y - 18,
            size: 13.0,
            text: format!("{median:.1}"),
            colour: (20, 20, 20),
        });
        labels.push(Label {
            x: x0,
            y: bottom2 + 8,
            size: 13.0,
            text: kind_name(*kind, lang),
            colour: (30, 30, 30),
        });
    }
    root.present().map_err(err)?;
    Ok(labels)
}

/// Rasterises one label into the RGB buffer, blending by coverage.
fn write(buf: &mut [u8], font: &FontRef<'_>, label: &Label) {
    let scale = PxScale::from(label.size);
    let scaled = font.as_scaled(scale);
    let mut caret = label.x as f32;
    let baseline = label.y as f32 + scaled.ascent();
    let mut previous = None;
    for c in label.text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let x = bounds.min.x as i64 + i64::from(gx);
            let y = bounds.min.y as i64 + i64::from(gy);
            if x < 0 || y < 0 || x >= i64::from(WIDTH) || y >= i64::from(HEIGHT) {
                return;
            }
            let i = (y as usize * WIDTH as usize + x as usize) * 3;
            let a = coverage.clamp(0.0, 1.0);
            let (r, g, b) = label.colour;
            for (k, ink) in [r, g, b].into_iter().enumerate() {
                let bg = f32::from(buf[i + k]);
                buf[i + k] = (bg + (f32::from(ink) - bg) * a).round() as u8;
            }
        });
    }
}

fn encode(buf: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| ChartError::Encode(e.to_string()))?;
        writer
            .write_image_data(buf)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
    }
    Ok(out)
}
