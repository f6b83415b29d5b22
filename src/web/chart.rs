//! The creator's 12-month earnings chart, drawn on the server as SVG with plotters, so the
//! page needs no script and no chart library from a CDN. Text is measured with a bundled font
//! (DejaVu Sans, `assets/fonts/`), which the stylesheet also serves under the same family
//! name, so labels render as they were laid out.

mod axis;

use axis::{axis_amount, label_every, nice_top, ticks};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::domain::{Currency, Locale};
use crate::i18n;
use crate::use_cases::statements::MonthNet;

/// The family name the SVG's text asks for; `obole.css` declares it with `@font-face`.
const FAMILY: &str = "Obole Sans";
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The drawing's size in its own units. The page scales it to the card's width (CSS
/// `width: 100%`, at most 720 px), so a unit is 1.5 px on a wide screen and about 0.65 px on
/// a 390 px phone: a narrow drawing keeps its labels readable on a phone.
const WIDTH: u32 = 500;
const HEIGHT: u32 = 250;
/// The labels' size: plotters writes `size ÷ 1.24` units, so 19.2 gives 15.5 units: 10 px on
/// a 390 px phone (the card is about 325 px wide), 22 px at the widest (720 px). One drawing
/// serves both (no inline style may pick another), so the phone sets the size.
const FONT_SIZE: f64 = 19.2;
/// Space around the plot and between a label and what it names, in units.
const GAP: i32 = 8;
/// The widest a bar may be, and its share of its month's slot.
const MAX_BAR: i64 = 36;
/// The bars' colour: the site's link blue (6.6:1 on white).
const BAR: RGBColor = RGBColor(0x0b, 0x5c, 0xad);
const INK: RGBColor = RGBColor(0x1d, 0x24, 0x33);
const GRID: RGBColor = RGBColor(0xe3, 0xe6, 0xec);

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_err() {
            tracing::error!("the chart font could not be read");
        }
    });
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The SVG of the months' net earnings, one bar a month, oldest on the left. Drawn with
/// plotters' primitives rather than its mesh, whose segmented axis added an empty slot and
/// a tick without a label after the last month, and whose labels could not be thinned.
pub fn earnings_svg(
    months: &[MonthNet],
    locale: Locale,
    currency: Currency,
) -> anyhow::Result<String> {
    register_font();
    // Whole cents as integer coordinates: the chart never turns an amount into a float.
    let cents: Vec<i64> = months.iter().map(|m| m.net.micros() / 10_000).collect();
    let top = nice_top(cents.iter().copied().max().unwrap_or(0));
    let ticks = ticks(top);
    let whole = ticks.iter().all(|t| t % 100 == 0);
    let amounts: Vec<String> = ticks
        .iter()
        .map(|t| axis_amount(*t, whole, locale, currency))
        .collect();
    let names: Vec<String> = months
        .iter()
        .map(|m| i18n::month_short(locale, m.month))
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let style = TextStyle::from((FAMILY, FONT_SIZE).into_font()).color(&INK);
        let widest = |texts: &[String]| -> anyhow::Result<i32> {
            let mut widest = 0;
            for text in texts {
                let (w, _) = root.estimate_text_size(text, &style).map_err(draw_error)?;
                widest = widest.max(i32::try_from(w)?);
            }
            Ok(widest)
        };
        let (_, text_height) = root.estimate_text_size("Ag", &style).map_err(draw_error)?;
        let text_height = i32::try_from(text_height)?;
        let plot = Plot {
            left: widest(&amounts)? + 2 * GAP,
            right: i32::try_from(WIDTH)? - GAP,
            top: GAP + text_height / 2,
            bottom: i32::try_from(HEIGHT)? - text_height - 2 * GAP,
        };
        plot.draw_grid(&root, &ticks, &amounts, top, &style)?;
        plot.draw_bars(&root, &cents, top)?;
        let every = label_every(widest(&names)?, plot.slot_width(months.len()));
        plot.draw_months(&root, &names, every, &style)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// Where the bars go, in the drawing's units.
struct Plot {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

impl Plot {
    fn height(&self) -> i64 {
        i64::from(self.bottom - self.top)
    }

    fn slot_width(&self, count: usize) -> i32 {
        let count = i32::try_from(count.max(1)).unwrap_or(i32::MAX);
        (self.right - self.left) / count
    }

    /// The height of `cents` on an axis that ends at `top`.
    fn y(&self, cents: i64, top: i64) -> i32 {
        let above = cents.saturating_mul(self.height()) / top.max(1);
        i32::try_from(i64::from(self.bottom) - above).unwrap_or(self.top)
    }

    /// The amounts' lines and labels.
    fn draw_grid(
        &self,
        root: &Area<'_>,
        ticks: &[i64],
        labels: &[String],
        top: i64,
        style: &TextStyle<'_>,
    ) -> anyhow::Result<()> {
        let right_aligned = style.pos(Pos::new(HPos::Right, VPos::Center));
        for (tick, label) in ticks.iter().zip(labels) {
            let y = self.y(*tick, top);
            // Zero is the axis, drawn over the bars' feet.
            if *tick > 0 {
                root.draw(&PathElement::new(
                    [(self.left, y), (self.right, y)],
                    GRID.stroke_width(1),
                ))
                .map_err(draw_error)?;
            }
            root.draw(&Text::new(
                label.as_str(),
                (self.left - GAP, y),
                right_aligned.clone(),
            ))
            .map_err(draw_error)?;
        }
        Ok(())
    }

    /// One bar per month with earnings, centred in its slot, and the axis at zero.
    fn draw_bars(&self, root: &Area<'_>, cents: &[i64], top: i64) -> anyhow::Result<()> {
        let slot = i64::from(self.slot_width(cents.len()));
        let bar = (slot * 7 / 10).clamp(1, MAX_BAR);
        for (at, value) in cents.iter().enumerate().filter(|(_, v)| **v > 0) {
            let centre = i64::from(self.left) + slot * i64::try_from(at)? + slot / 2;
            let x0 = i32::try_from(centre - bar / 2)?;
            let x1 = i32::try_from(centre - bar / 2 + bar)?;
            root.draw(&Rectangle::new(
                [(x0, self.y(*value, top)), (x1, self.bottom)],
                BAR.filled(),
            ))
            .map_err(draw_error)?;
        }
        root.draw(&PathElement::new(
            [(self.left, self.bottom), (self.right, self.bottom)],
            INK.stroke_width(1),
        ))
        .map_err(draw_error)?;
        Ok(())
    }

    /// The months' names under their slots: every `every`-th, counted from the last month
    /// (the latest is always named).
    fn draw_months(
        &self,
        root: &Area<'_>,
        names: &[String],
        every: usize,
        style: &TextStyle<'_>,
    ) -> anyhow::Result<()> {
        let slot = self.slot_width(names.len());
        let centred = style.pos(Pos::new(HPos::Center, VPos::Top));
        let last = names.len().saturating_sub(1);
        for (at, name) in names.iter().enumerate() {
            if !(last - at).is_multiple_of(every.max(1)) {
                continue;
            }
            let x = self.left + slot * i32::try_from(at)? + slot / 2;
            root.draw(&Text::new(
                name.as_str(),
                (x, self.bottom + GAP),
                centred.clone(),
            ))
            .map_err(draw_error)?;
        }
        Ok(())
    }
}

fn draw_error<E: std::error::Error + Send + Sync + 'static>(
    error: DrawingAreaErrorKind<E>,
) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart: {error}")
}

#[cfg(test)]
mod tests;
