//! The creator's 12-month earnings chart, drawn on the server as SVG with plotters, so the
//! page needs no script and no chart library from a CDN. Text is measured with a bundled font
//! (DejaVu Sans, `assets/fonts/`), which the stylesheet also serves under the same family
//! name, so labels render as they were laid out.

use std::sync::Once;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use crate::domain::{Currency, Locale, Money};
use crate::i18n;
use crate::statements::MonthNet;

/// The family name the SVG's text asks for; `obole.css` declares it with `@font-face`.
const FAMILY: &str = "Obole Sans";
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const WIDTH: u32 = 720;
const HEIGHT: u32 = 300;
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

/// The SVG of the months' net earnings, one bar a month, oldest on the left.
pub fn earnings_svg(
    months: &[MonthNet],
    locale: Locale,
    currency: Currency,
) -> anyhow::Result<String> {
    register_font();
    // Whole cents as integer coordinates: the chart never turns an amount into a float.
    let cents: Vec<i64> = months.iter().map(|m| m.net.micros() / 10_000).collect();
    let top = nice_top(cents.iter().copied().max().unwrap_or(0));
    let count = i32::try_from(months.len())?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(80)
            .build_cartesian_2d((0..count).into_segmented(), 0i64..top)
            .map_err(draw_error)?;
        let label_month = |value: &SegmentValue<i32>| match value {
            SegmentValue::CenterOf(at) => usize::try_from(*at)
                .ok()
                .and_then(|at| months.get(at))
                .map(|m| i18n::month_short(locale, m.month))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let label_amount = |value: &i64| {
            Money::from_cents(*value)
                .unwrap_or(Money::ZERO)
                .format(locale, currency)
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(months.len())
            .x_label_formatter(&label_month)
            .y_labels(5)
            .y_label_formatter(&label_amount)
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 13).into_font().color(&INK))
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(
                cents
                    .iter()
                    .enumerate()
                    .filter(|(_, value)| **value > 0)
                    .map(|(at, value)| {
                        let at = i32::try_from(at).unwrap_or(0);
                        let mut bar = Rectangle::new(
                            [
                                (SegmentValue::Exact(at), 0),
                                (SegmentValue::Exact(at + 1), *value),
                            ],
                            BAR.filled(),
                        );
                        bar.set_margin(0, 0, 6, 6);
                        bar
                    }),
            )
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// A round upper bound for the axis: 1, 2 or 5 times a power of ten cents, at least 1.00.
fn nice_top(max_cents: i64) -> i64 {
    let mut step = 100;
    loop {
        for factor in [1, 2, 5] {
            let top = step * factor;
            if top >= max_cents || top >= i64::MAX / 10 {
                return top;
            }
        }
        step *= 10;
    }
}

fn draw_error<E: std::error::Error + Send + Sync + 'static>(
    error: DrawingAreaErrorKind<E>,
) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Month;

    #[test]
    fn the_axis_ends_on_a_round_amount_above_the_highest_bar() {
        assert_eq!(nice_top(0), 100);
        assert_eq!(nice_top(150), 200);
        assert_eq!(nice_top(201), 500);
        assert_eq!(nice_top(123_456), 200_000);
    }

    #[test]
    fn the_chart_has_a_bar_and_a_label_per_month() {
        let mut month = Month::parse("2025-12").expect("month");
        let months: Vec<MonthNet> = (0..12)
            .map(|i| {
                month = month.next();
                MonthNet {
                    month,
                    net: Money::from_micros(i * 1_234_567),
                }
            })
            .collect();
        let svg = earnings_svg(&months, Locale::Fr, Currency::Eur).expect("svg");
        assert!(svg.starts_with("<svg"), "{svg}");
        for name in ["janv.", "févr.", "déc."] {
            assert!(
                svg.contains(&format!(">\n{name}\n<")) || svg.contains(name),
                "{name}"
            );
        }
        let bars = svg.matches("fill=\"#0B5CAD\"").count();
        assert_eq!(
            bars, 11,
            "one bar per month with earnings (January has none)"
        );
        assert!(svg.contains("font-family=\"Obole Sans\""));
    }
}
