use super::axis::*;
use super::*;
use crate::domain::{Money, Month};

#[test]
fn the_axis_ends_on_a_round_amount_above_the_highest_bar() {
    assert_eq!(nice_top(0), 100);
    assert_eq!(nice_top(150), 200);
    assert_eq!(nice_top(201), 500);
    assert_eq!(nice_top(123_456), 200_000);
}

fn months(nets: &[i64]) -> Vec<MonthNet> {
    let mut month = Month::parse("2025-12").expect("month");
    nets.iter()
        .map(|net| {
            month = month.next();
            MonthNet {
                month,
                net: Money::from_micros(*net),
            }
        })
        .collect()
}

/// The texts of the SVG, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let body = t.split_once('>').map_or("", |(_, rest)| rest);
            body.split("</text>").next().unwrap_or("").trim().to_owned()
        })
        .collect()
}

#[test]
fn the_chart_has_a_bar_per_month_with_earnings_and_names_the_last_month() {
    let nets: Vec<i64> = (0..12).map(|i| i * 1_234_567).collect();
    let svg = earnings_svg(&months(&nets), Locale::Fr, Currency::Eur).expect("svg");
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("font-family=\"Obole Sans\""));
    let bars = svg.matches("fill=\"#0B5CAD\"").count();
    assert_eq!(
        bars, 11,
        "one bar per month with earnings (January has none)"
    );
    let texts = texts(&svg);
    assert_eq!(texts.last().map(String::as_str), Some("déc."), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "20 €"),
        "the axis's top: {texts:?}"
    );
}

#[test]
fn nothing_follows_the_last_month() {
    // plotters' segmented axis drew a tick without a label, in an empty slot, after the
    // last month: every text now says something, and the one bar sits in the middle.
    for nets in [vec![1_234_567], vec![0; 12], vec![5, 0, 7]] {
        let svg = earnings_svg(&months(&nets), Locale::En, Currency::Eur).expect("svg");
        let texts = texts(&svg);
        assert!(texts.iter().all(|t| !t.is_empty()), "{texts:?}");
        // No tick marks at all: the bars and their names show the months.
        let vertical = svg
            .split("points=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .filter(|points| {
                let xs: Vec<&str> = points
                    .split_whitespace()
                    .filter_map(|point| point.split(',').next())
                    .collect();
                xs.len() == 2 && xs[0] == xs[1]
            })
            .count();
        assert_eq!(vertical, 0, "{svg}");
    }
    let svg = earnings_svg(&months(&[1_234_567]), Locale::En, Currency::Eur).expect("svg");
    let bar = svg
        .split("fill=\"#0B5CAD\"")
        .next()
        .and_then(|s| s.rsplit("<rect x=\"").next())
        .and_then(|s| s.split('"').next())
        .and_then(|x| x.parse::<i32>().ok())
        .expect("the bar");
    let middle = i32::try_from(WIDTH).expect("width") / 2;
    assert!(
        (bar + 18 - middle).abs() < 40,
        "the bar at {bar}, not in an empty slot's way"
    );
    assert_eq!(texts(&svg).last().map(String::as_str), Some("Jan"));
}

#[test]
fn large_amounts_drop_the_cents_and_small_ones_keep_them() {
    let nets: Vec<i64> = (0..12)
        .map(|i| 1_000_000_000_000 + i * 98_765_432_100)
        .collect();
    let svg = earnings_svg(&months(&nets), Locale::En, Currency::Eur).expect("svg");
    assert!(
        texts(&svg).contains(&"€5,000,000".to_owned()),
        "{:?}",
        texts(&svg)
    );
    let svg = earnings_svg(&months(&nets), Locale::Fr, Currency::Eur).expect("svg");
    assert!(
        texts(&svg).contains(&"5 000 000 €".to_owned()),
        "{:?}",
        texts(&svg)
    );
    let svg = earnings_svg(&months(&[0; 12]), Locale::En, Currency::Eur).expect("svg");
    assert_eq!(
        texts(&svg)[..6],
        ["€0.00", "€0.20", "€0.40", "€0.60", "€0.80", "€1.00"]
    );
}

#[test]
fn labels_too_wide_for_their_slots_are_thinned() {
    assert_eq!(label_every(20, 40), 1);
    assert_eq!(label_every(33, 40), 2, "a label and its gap need 41");
    assert_eq!(label_every(60, 20), 4);
    assert_eq!(ticks(200), [0, 50, 100, 150, 200]);
    assert_eq!(ticks(500), [0, 100, 200, 300, 400, 500]);
    assert_eq!(ticks(10_000), [0, 2_000, 4_000, 6_000, 8_000, 10_000]);
}
