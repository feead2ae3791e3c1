//! `fake-shopify seed-sql --seed N --end YYYY-MM-DD --out FILE`: the demo shop as SQL.
//! (The Shopify Admin API, OAuth and webhook sender join this binary in a later issue.)

use chrono::{NaiveDate, Utc};
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: fake-shopify seed-sql [--seed N] [--end YYYY-MM-DD] --out FILE");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("seed-sql") {
        return usage();
    }
    let (mut seed, mut end, mut out) = (42_u64, Utc::now().date_naive(), None::<String>);
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let Some(value) = it.next() else { return usage() };
        match flag.as_str() {
            "--seed" => match value.parse() {
                Ok(v) => seed = v,
                Err(_) => return usage(),
            },
            "--end" => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(d) => end = d,
                Err(_) => return usage(),
            },
            "--out" => out = Some(value.clone()),
            _ => return usage(),
        }
    }
    let Some(out) = out else { return usage() };
    let shop = fake_shopify::catalog::generate(seed, end);
    let sql = fake_shopify::seed_sql::to_sql(&shop, &format!("{end}T00:00:00Z"));
    if let Err(e) = std::fs::write(&out, sql) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "demo shop {}: {} products, {} variants, {} locations, {} stock levels, {} sales rows ending {end} -> {out}",
        shop.domain,
        shop.products.len(),
        shop.variants.len(),
        shop.locations.len(),
        shop.levels.len(),
        shop.sales.len()
    );
    ExitCode::SUCCESS
}
