//! `fake-shopify serve --port 8788 --app-url http://127.0.0.1:8787 --api-key K --api-secret S [--seed 42] [--end YYYY-MM-DD] [--scopes …] [--public-url …]`:
//! the local Shopify (see `server`).
//! `fake-shopify seed-sql [--seed N] [--end YYYY-MM-DD] [--products N] [--days N] [--domain D] --out FILE`:
//! the demo shop (or a shop of another size, for benchmarks) as SQL.
//! `fake-shopify fleet-sql --shops N --shards K [--products N] [--days N] [--big N …] [--end …] --out-dir DIR`:
//! N small generated shops (and a few big ones) over K shards, for the scale test: `DIR/shard-<k>.sql` per
//! shard and `DIR/directory.sql` (their directory rows, for the first database).

use chrono::{NaiveDate, Utc};
use fake_shopify::state::{Config, Shops};
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str = "usage:
  fake-shopify serve --port 8788 --app-url http://127.0.0.1:8787 --api-key KEY --api-secret SECRET
                     [--seed 42] [--end YYYY-MM-DD] [--scopes read_products,...] [--public-url http://127.0.0.1:8788]
                     [--app-config shopify.app.toml] [--extensions DIR (default: extensions/ next to the app config)]
  fake-shopify seed-sql [--seed N] [--end YYYY-MM-DD] [--products N] [--days N] [--domain D] --out FILE
  fake-shopify fleet-sql --shops N --shards K [--products N] [--days N] [--big N] [--big-products N] [--big-days N] [--end YYYY-MM-DD] --out-dir DIR";

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\n{USAGE}");
    ExitCode::from(2)
}

fn flags(args: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let Some(name) = flag.strip_prefix("--") else { return Err(format!("unexpected argument {flag}")) };
        let Some(value) = it.next() else { return Err(format!("{flag} needs a value")) };
        out.push((name.to_string(), value.clone()));
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else { return usage("no command") };
    let flags = match flags(&args[1..]) {
        Ok(f) => f,
        Err(e) => return usage(&e),
    };
    let get = |name: &str| flags.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let seed = match get("seed").map(|s| s.parse::<u64>()) {
        None => 42,
        Some(Ok(s)) => s,
        Some(Err(_)) => return usage("--seed must be a number"),
    };
    let end = match get("end").map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d")) {
        None => Utc::now().date_naive(),
        Some(Ok(d)) => d,
        Some(Err(_)) => return usage("--end must be YYYY-MM-DD"),
    };
    match command.as_str() {
        "seed-sql" => {
            let products = match get("products").map(|p| p.parse::<usize>()) {
                None => fake_shopify::catalog::DEMO_PRODUCTS,
                Some(Ok(p)) if p > 0 => p,
                Some(_) => return usage("--products must be a positive number"),
            };
            let days = match get("days").map(|d| d.parse::<u32>()) {
                None => fake_shopify::catalog::HISTORY_DAYS,
                Some(Ok(d)) if (1..=3_650).contains(&d) => d,
                Some(_) => return usage("--days must be a number of days from 1 to 3650"),
            };
            seed_sql(seed, end, products, days, get("domain"), get("out"))
        }
        "fleet-sql" => {
            let number = |name: &str, default: usize| match get(name).map(|v| v.parse::<usize>()) {
                None => Ok(default),
                Some(Ok(n)) if n > 0 => Ok(n),
                Some(_) => Err(format!("--{name} must be a positive number")),
            };
            let (shops, shards, products, days) =
                match (number("shops", 1000), number("shards", 4), number("products", 3), number("days", 60)) {
                    (Ok(a), Ok(b), Ok(c), Ok(d)) => (a, b, c, d as u32),
                    (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return usage(&e),
                };
            // A few large shops besides: `--big N` of `--big-products` products (5,300 make
            // about 20,000 variants) with `--big-days` of history.
            let big = match get("big").map(|v| v.parse::<usize>()) {
                None => 0,
                Some(Ok(n)) => n,
                Some(Err(_)) => return usage("--big must be a number of shops"),
            };
            let (big_products, big_days) = match (number("big-products", 5_300), number("big-days", 365)) {
                (Ok(p), Ok(d)) => (p, d as u32),
                (Err(e), _) | (_, Err(e)) => return usage(&e),
            };
            let Some(dir) = get("out-dir") else { return usage("fleet-sql needs --out-dir DIR") };
            let sizes = FleetSizes { shops, products, days, big, big_products, big_days };
            fleet_sql(&sizes, shards, end, &dir)
        }
        "serve" => {
            let port = match get("port").map(|p| p.parse::<u16>()) {
                None => 8788,
                Some(Ok(p)) => p,
                Some(Err(_)) => return usage("--port must be a port number"),
            };
            let (Some(app_url), Some(api_key), Some(api_secret)) = (get("app-url"), get("api-key"), get("api-secret")) else {
                return usage("serve needs --app-url, --api-key and --api-secret");
            };
            let cfg = Config {
                app_url: app_url.trim_end_matches('/').to_string(),
                api_key,
                api_secret,
                scopes: get("scopes").unwrap_or_else(|| "read_products,read_inventory,read_orders,read_all_orders,read_locations,read_inventory_transfers,read_inventory_shipments".into()),
                seed,
                end,
                public_url: get("public-url").unwrap_or_else(|| format!("http://127.0.0.1:{port}")).trim_end_matches('/').to_string(),
                app_subscriptions: Vec::new(),
                flow_triggers: Vec::new(),
            };
            // The app's configuration, as `shopify app deploy` would hand it to Shopify.
            let config_path = get("app-config").unwrap_or_else(|| "shopify.app.toml".into());
            let cfg = match std::fs::read_to_string(&config_path)
                .map_err(|e| e.to_string())
                .and_then(|t| fake_shopify::state::app_subscriptions(&t))
            {
                Ok(subs) => Config { app_subscriptions: subs, ..cfg },
                Err(e) => return usage(&format!("cannot read the app configuration {config_path}: {e}")),
            };
            // The app's extensions sit next to its configuration, as the CLI lays them out.
            let extensions = get("extensions")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| std::path::Path::new(&config_path).parent().unwrap_or(std::path::Path::new("")).join("extensions"));
            let cfg = match fake_shopify::server::load_flow_triggers(&extensions) {
                Ok(flow_triggers) => Config { flow_triggers, ..cfg },
                Err(e) => return usage(&format!("cannot read the app's extensions: {e}")),
            };
            serve(cfg, port)
        }
        other => usage(&format!("unknown command {other}")),
    }
}

fn serve(cfg: Config, port: u16) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let public = cfg.public_url.clone();
        let app_url = cfg.app_url.clone();
        let shops = Arc::new(Shops::new(cfg));
        println!("fake Shopify on {public} (API {}), webhooks to {app_url}/webhooks/<topic>", domain::shopify::API_VERSION);
        let handles: Vec<&str> = shops.cfg.flow_triggers.iter().map(|t| t.handle.as_str()).collect();
        println!("  Flow triggers: {}", if handles.is_empty() { "none".to_string() } else { handles.join(", ") });
        for d in shops.domains() {
            println!("  {d}: shop base {public}/shops/{d}, admin {public}/admin/{d}/apps/stock-sentry");
        }
        match fake_shopify::server::serve(listener, shops).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// What `fleet-sql` generates: `shops` small shops and `big` large ones.
struct FleetSizes {
    shops: usize,
    products: usize,
    days: u32,
    big: usize,
    big_products: usize,
    big_days: u32,
}

/// `shops` generated shops (ids 61,000,000,000 + i, so none meets the demo's), shop i on
/// shard i mod `shards`, and `big` large ones (ids 62,000,000,000 + j, domains
/// big-NN.myshopify.com) on shards 1, 2, …, as one SQL file per shard plus the directory's rows.
fn fleet_sql(sizes: &FleetSizes, shards: usize, end: NaiveDate, dir: &str) -> ExitCode {
    use std::io::Write;
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {dir}: {e}");
        return ExitCode::FAILURE;
    }
    let at = format!("{}T00:00:00Z", end.pred_opt().unwrap_or(end));
    let mut files = Vec::new();
    for k in 0..shards {
        match std::fs::File::create(format!("{dir}/shard-{k}.sql")) {
            Ok(f) => files.push(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("cannot write {dir}/shard-{k}.sql: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut directory = String::new();
    let (mut variants, mut rows) = (0, 0);
    let small = (0..sizes.shops).map(|i| (i, false));
    let large = (0..sizes.big).map(|j| (j, true));
    for (i, big) in small.chain(large) {
        let (products, days) = if big { (sizes.big_products, sizes.big_days) } else { (sizes.products, sizes.days) };
        let mut shop = fake_shopify::catalog::generate_sized(10_000 + i as u64 + if big { 500_000 } else { 0 }, end, products, days);
        if big {
            shop.id = 62_000_000_000 + i as i64;
            shop.domain = format!("big-{i:02}.myshopify.com");
            shop.name = format!("Big shop {i}");
            println!("{}: {} variants, {} sales rows", shop.domain, shop.variants.len(), shop.sales.len());
        } else {
            shop.id = 61_000_000_000 + i as i64;
            shop.domain = format!("fleet-{i:05}.myshopify.com");
            shop.name = format!("Fleet shop {i}");
        }
        variants += shop.variants.len();
        rows += shop.sales.len();
        let shard = if big { (i + 1) % shards } else { i % shards };
        directory += &fake_shopify::seed_sql::directory_sql(&shop, shard, &at);
        if let Err(e) = files[shard].write_all(fake_shopify::seed_sql::to_sql(&shop, &at).as_bytes()) {
            eprintln!("cannot write shard {shard}: {e}");
            return ExitCode::FAILURE;
        }
    }
    for f in &mut files {
        if let Err(e) = f.flush() {
            eprintln!("cannot write: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = std::fs::write(format!("{dir}/directory.sql"), directory) {
        eprintln!("cannot write {dir}/directory.sql: {e}");
        return ExitCode::FAILURE;
    }
    println!("{} shops over {shards} shards: {variants} variants, {rows} sales rows -> {dir}", sizes.shops + sizes.big);
    ExitCode::SUCCESS
}

fn seed_sql(seed: u64, end: NaiveDate, products: usize, days: u32, domain: Option<String>, out: Option<String>) -> ExitCode {
    let Some(out) = out else { return usage("seed-sql needs --out FILE") };
    let mut shop = fake_shopify::catalog::generate_sized(seed, end, products, days);
    if let Some(domain) = domain {
        shop.name = domain.split('.').next().unwrap_or(&domain).replace('-', " ");
        shop.domain = domain;
    }
    // Stock levels as of the day before the history ends, as the fake's bulk export dates them
    // (`ShopState::updated_at_default`): on the end day itself, a test's webhook backdated a
    // few hours after midnight UTC would read as older than the seeded level and be dropped.
    let as_of = end.pred_opt().unwrap_or(end);
    let at = format!("{as_of}T00:00:00Z");
    // Seeded into the first database, which is shard 0 and holds the directory too.
    let sql = fake_shopify::seed_sql::to_sql(&shop, &at) + &fake_shopify::seed_sql::directory_sql(&shop, 0, &at);
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
