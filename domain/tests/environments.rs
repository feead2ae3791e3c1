//! wrangler.toml's deployed environments: what an operator relies on when running
//! `wrangler deploy --env staging|production`.
// Test helpers may unwrap: a failure is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::jobs::SCHEDULE;
use toml::Value;

fn config() -> Value {
    toml::from_str(include_str!("../../wrangler.toml")).expect("wrangler.toml parses")
}

fn env(name: &str) -> Value {
    config()["env"][name].clone()
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p).unwrap_or_else(|| panic!("missing {path:?}"));
    }
    cur.as_str().unwrap_or_else(|| panic!("{path:?} is not a string"))
}

#[test]
fn deployed_environments_use_real_shopify_and_no_local_values() {
    for name in ["staging", "production"] {
        let e = env(name);
        assert_eq!(str_at(&e, &["vars", "SHOPIFY_SHOP_BASE"]), "https://{shop}", "{name}");
        assert_eq!(str_at(&e, &["vars", "APP_BRIDGE_URL"]), "https://cdn.shopify.com/shopifycloud/app-bridge.js", "{name}");
        assert_eq!(str_at(&e, &["vars", "MAIL_TRANSPORT"]), "http", "{name} must send real mail");
        for flag in ["FEATURE_ANALYTICS", "FEATURE_RATE_LIMIT", "FEATURE_CACHE"] {
            assert!(matches!(str_at(&e, &["vars", flag]), "true" | "false"), "{name}: {flag}");
        }
        let vars = e["vars"].as_table().unwrap();
        assert!(!vars.contains_key("DEMO_SHOP"), "{name} must not serve a demo shop");
        let text = toml::to_string(&e).unwrap();
        for local in ["127.0.0.1", "localhost", ":8788", ":8787"] {
            assert!(!text.contains(local), "{name} mentions {local}");
        }
        assert!(str_at(&e, &["vars", "APP_URL"]).starts_with("https://"), "{name}");
    }
}

#[test]
fn each_environment_has_its_own_bindings_and_the_same_crons() {
    let mut seen_db = Vec::new();
    let mut seen_queues = Vec::new();
    for name in ["staging", "production"] {
        let e = env(name);
        let db = &e["d1_databases"][0];
        assert_eq!(str_at(db, &["binding"]), "DB");
        assert_eq!(str_at(db, &["migrations_dir"]), "migrations");
        seen_db.push(str_at(db, &["database_id"]).to_string());
        assert_eq!(str_at(&e["kv_namespaces"][0], &["binding"]), "KV");
        let producers: Vec<(&str, &str)> =
            e["queues"]["producers"].as_array().unwrap().iter().map(|p| (str_at(p, &["binding"]), str_at(p, &["queue"]))).collect();
        assert_eq!(producers.iter().map(|p| p.0).collect::<Vec<_>>(), vec!["JOBS", "EVENTS"], "{name}");
        let consumers = e["queues"]["consumers"].as_array().unwrap();
        for (_, queue) in &producers {
            assert!(consumers.iter().any(|c| str_at(c, &["queue"]) == *queue), "{name}: nobody consumes {queue}");
            seen_queues.push(queue.to_string());
        }
        // The Worker tells the events queue apart by its name (bindings::is_events_queue).
        assert!(producers[1].1.starts_with("stock-sentry-events-"), "{name}");
        let crons: Vec<&str> = e["triggers"]["crons"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(crons, SCHEDULE.iter().map(|(c, _)| *c).collect::<Vec<_>>(), "{name}");
    }
    let top = config();
    seen_db.push(str_at(&top["d1_databases"][0], &["database_id"]).to_string());
    seen_db.sort();
    seen_db.dedup();
    assert_eq!(seen_db.len(), 3, "staging, production and local share a database id");
    let n = seen_queues.len();
    seen_queues.sort();
    seen_queues.dedup();
    assert_eq!(seen_queues.len(), n, "environments share a queue");
}

#[test]
fn a_deploy_without_env_cannot_replace_production_and_logs_are_kept_everywhere() {
    let top = config();
    let production = str_at(&env("production"), &["name"]).to_string();
    assert_ne!(str_at(&top, &["name"]), production, "the top-level (local) Worker must not be production's");
    assert_ne!(str_at(&env("staging"), &["name"]), production);
    for (name, v) in [("top level", top.clone()), ("staging", env("staging")), ("production", env("production"))] {
        assert_eq!(v["observability"]["enabled"].as_bool(), Some(true), "{name}: Workers Logs");
    }
}

/// SHARDS (app/src/server/shards.rs) names D1 bindings each environment declares, DB first,
/// every one migrated from the same folder, and no two sharing a database.
#[test]
fn every_shard_is_a_declared_migrated_database() {
    let top = config();
    let mut ids = Vec::new();
    for (name, e) in [("local", top.clone()), ("staging", env("staging")), ("production", env("production"))] {
        let shards: Vec<&str> = str_at(&e, &["vars", "SHARDS"]).split(',').map(str::trim).collect();
        assert_eq!(shards[0], "DB", "{name}: the first shard holds the directory");
        let dbs = e["d1_databases"].as_array().unwrap();
        for shard in &shards {
            let db =
                dbs.iter().find(|d| str_at(d, &["binding"]) == *shard).unwrap_or_else(|| panic!("{name}: {shard} is not a D1 binding"));
            assert_eq!(str_at(db, &["migrations_dir"]), "migrations", "{name}: {shard}");
            ids.push(str_at(db, &["database_id"]).to_string());
        }
        assert!(name != "local" || shards.len() >= 4, "locally at least four shards, so the tests cross them");
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "two shards share a database id");
}
