//! Shopify Flow trigger definitions: the app's trigger extensions
//! (`extensions/*/shopify.extension.toml` with `type = "flow_trigger"`), read at startup, and
//! the check Flow makes of a `flowTriggerReceive` payload against its trigger's fields. Pure,
//! so the shop state can hold them without reaching into the server (`server::flow` serves
//! the mutation).
//!
//! https://shopify.dev/docs/apps/build/flow/triggers/reference
//! https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive

use domain::shopify::admin::Gid;
use serde_json::{json, Value};
use std::path::Path;

/// Flow refuses payloads of 50,000 bytes or more.
pub const MAX_PAYLOAD_BYTES: usize = 50_000;

/// A trigger field's type: the ones Flow allows in a trigger extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Decimal,
    Boolean,
    Email,
    Url,
    /// `<kind>_reference`: a resource of the shop, sent as `<kind>_id`; holds the GID type.
    Reference(&'static str),
}

impl FieldType {
    fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "single_line_text_field" => Self::Text,
            "number_decimal" => Self::Decimal,
            "boolean" => Self::Boolean,
            "email" => Self::Email,
            "url" => Self::Url,
            "customer_reference" => Self::Reference("Customer"),
            "order_reference" => Self::Reference("Order"),
            "product_reference" => Self::Reference("Product"),
            _ => return None,
        })
    }
}

/// One field of a trigger: its payload key (`product_id` for a product reference) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerField {
    pub key: String,
    pub kind: FieldType,
}

/// A `flow_trigger` extension: its handle and fields, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowTrigger {
    pub handle: String,
    pub fields: Vec<TriggerField>,
}

/// The flow triggers of one `shopify.extension.toml` (other extension types are skipped),
/// checked with the CLI's rules so a bad definition fails at startup, not at the first call.
pub fn parse_extension(extension_toml: &str) -> Result<Vec<FlowTrigger>, String> {
    let v: toml::Value = toml::from_str(extension_toml).map_err(|e| e.to_string())?;
    let mut fields = Vec::new();
    for f in v.get("settings").and_then(|s| s.get("fields")).and_then(|f| f.as_array()).into_iter().flatten() {
        let raw = f.get("type").and_then(|t| t.as_str()).unwrap_or_default();
        let kind = FieldType::parse(raw).ok_or_else(|| format!("field type {raw:?} is not allowed in a Flow trigger"))?;
        let key = match (kind, f.get("key").and_then(|k| k.as_str())) {
            // A reference has no key of its own: Flow names it after the resource.
            (FieldType::Reference(_), None) => raw.replace("_reference", "_id"),
            (FieldType::Reference(_), Some(k)) => return Err(format!("the {raw} field takes no key (got {k:?})")),
            (_, None) => return Err(format!("a {raw} field needs a key")),
            (_, Some(k)) if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphabetic() || c.is_whitespace()) => {
                return Err(format!("field key {k:?} may hold only letters and spaces"))
            }
            (_, Some(k)) => k.to_string(),
        };
        if fields.iter().any(|x: &TriggerField| x.key == key) {
            return Err(format!("field {key:?} is defined twice"));
        }
        fields.push(TriggerField { key, kind });
    }
    let mut out = Vec::new();
    for ext in v.get("extensions").and_then(|e| e.as_array()).into_iter().flatten() {
        if ext.get("type").and_then(|t| t.as_str()) != Some("flow_trigger") {
            continue;
        }
        let handle = ext.get("handle").and_then(|h| h.as_str()).unwrap_or_default();
        if handle.is_empty() || handle.len() > 30 || !handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("handle {handle:?} must be 1 to 30 letters, digits or hyphens"));
        }
        out.push(FlowTrigger { handle: handle.to_string(), fields: fields.clone() });
    }
    Ok(out)
}

/// Every flow trigger under `dir` (`<dir>/*/shopify.extension.toml`, as the CLI lays out an
/// app's extensions). No such directory: no triggers.
pub fn load_flow_triggers(dir: &Path) -> Result<Vec<FlowTrigger>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut files: Vec<_> =
        entries.filter_map(Result::ok).map(|e| e.path().join("shopify.extension.toml")).filter(|p| p.is_file()).collect();
    files.sort();
    let mut out: Vec<FlowTrigger> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        for t in parse_extension(&text).map_err(|e| format!("{}: {e}", file.display()))? {
            if out.iter().any(|o| o.handle == t.handle) {
                return Err(format!("{}: handle {:?} is used twice", file.display(), t.handle));
            }
            out.push(t);
        }
    }
    Ok(out)
}

fn user_error(field: &[&str], message: impl Into<String>) -> Value {
    json!({ "field": field, "message": message.into() })
}

/// The user errors Flow would give `flowTriggerReceive(handle, payload)`; empty means accepted.
/// `exists(kind, id)` says whether a referenced resource is in the shop.
pub fn validate(triggers: &[FlowTrigger], handle: Option<&str>, payload: &Value, exists: impl Fn(&str, i64) -> bool) -> Vec<Value> {
    let handle = handle.unwrap_or_default();
    let Some(def) = triggers.iter().find(|t| t.handle == handle) else {
        return vec![user_error(&["handle"], format!("Trigger with handle '{handle}' not found"))];
    };
    let Some(obj) = payload.as_object() else {
        return vec![user_error(&["payload"], "Payload must be a JSON object")];
    };
    if payload.to_string().len() >= MAX_PAYLOAD_BYTES {
        return vec![user_error(&["payload"], "Payload must be under 50,000 bytes")];
    }
    let mut errors = Vec::new();
    for f in &def.fields {
        let problem = match obj.get(&f.key) {
            None => Some("is missing from the payload".to_string()),
            Some(v) => type_problem(f.kind, v, &exists),
        };
        if let Some(p) = problem {
            errors.push(user_error(&["payload", &f.key], format!("Field '{}' {p}", f.key)));
        }
    }
    for key in obj.keys().filter(|k| !def.fields.iter().any(|f| &f.key == *k)) {
        errors.push(user_error(&["payload", key], format!("Field '{key}' is not defined by trigger '{handle}'")));
    }
    errors
}

/// Why `v` is not a value of `kind`, if it is not.
fn type_problem(kind: FieldType, v: &Value, exists: &impl Fn(&str, i64) -> bool) -> Option<String> {
    let text = v.as_str();
    let ok = match kind {
        FieldType::Text => text.is_some(),
        FieldType::Decimal => v.is_number(),
        FieldType::Boolean => v.is_boolean(),
        FieldType::Email => text.is_some_and(|t| t.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))),
        FieldType::Url => text.is_some_and(|t| t.starts_with("https://") || t.starts_with("http://")),
        FieldType::Reference(gid_kind) => {
            // A numeric id or the resource's GID, and the resource must be the shop's.
            let id = match v {
                Value::Number(n) => n.as_i64().filter(|id| *id > 0),
                Value::String(s) => Gid::parse(s).ok().filter(|g| g.kind == gid_kind).map(|g| g.id),
                _ => None,
            };
            return match id {
                None => Some(format!("must be a {gid_kind} id or gid://shopify/{gid_kind}/<id>")),
                Some(id) if !exists(gid_kind, id) => Some(format!("refers to {gid_kind} {id}, which does not exist")),
                Some(_) => None,
            };
        }
    };
    let expected = match kind {
        FieldType::Text => "a string",
        FieldType::Decimal => "a number",
        FieldType::Boolean => "a boolean",
        FieldType::Email => "an email address",
        FieldType::Url => "an http(s) URL",
        FieldType::Reference(_) => "a reference",
    };
    (!ok).then(|| format!("must be {expected}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTENSION: &str = include_str!("../../extensions/stock-alert-opened/shopify.extension.toml");

    fn triggers() -> Vec<FlowTrigger> {
        parse_extension(EXTENSION).unwrap()
    }

    fn good() -> Value {
        json!({ "product_id": "gid://shopify/Product/7", "Alert kind": "Reorder now", "Variant": "Large / Blue", "SKU": "TEE-L-B",
                "Location": "Warehouse", "On hand": 3, "Days of cover": 9999, "Suggested quantity": 24.5,
                "Alert URL": "https://stock-sentry.example/app/variants/42" })
    }

    fn check(payload: &Value) -> Vec<Value> {
        validate(&triggers(), Some("stock-alert-opened"), payload, |kind, id| kind == "Product" && id == 7)
    }

    fn fields(errors: &[Value]) -> Vec<String> {
        errors.iter().map(|e| e["field"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect::<Vec<_>>().join(".")).collect()
    }

    #[test]
    fn parses_the_apps_trigger() {
        let t = triggers();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].handle, "stock-alert-opened");
        let keys: Vec<&str> = t[0].fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            ["product_id", "Alert kind", "Variant", "SKU", "Location", "On hand", "Days of cover", "Suggested quantity", "Alert URL"]
        );
        assert_eq!(t[0].fields[0].kind, FieldType::Reference("Product"));
        assert_eq!(t[0].fields[8].kind, FieldType::Url);
    }

    #[test]
    fn refuses_what_the_cli_refuses() {
        let ext = |fields: &str| format!("[[extensions]]\nname = \"x\"\ntype = \"flow_trigger\"\nhandle = \"h\"\n[settings]\n{fields}");
        let bad = [
            "[[settings.fields]]\ntype = \"single_line_text_field\"\nkey = \"On-hand\"",
            "[[settings.fields]]\ntype = \"single_line_text_field\"",
            "[[settings.fields]]\ntype = \"multi_line_text_field\"\nkey = \"Note\"",
            "[[settings.fields]]\ntype = \"product_reference\"\nkey = \"Product\"",
            "[[settings.fields]]\ntype = \"url\"\nkey = \"A\"\n[[settings.fields]]\ntype = \"email\"\nkey = \"A\"",
        ];
        for fields in bad {
            assert!(parse_extension(&ext(fields)).is_err(), "{fields}");
        }
        assert!(parse_extension("[[extensions]]\ntype = \"flow_trigger\"\nhandle = \"no_underscores\"").is_err());
        // Other extension types are not triggers.
        assert_eq!(parse_extension("[[extensions]]\ntype = \"flow_action\"\nhandle = \"a\"").unwrap(), vec![]);
    }

    #[test]
    fn loads_the_extensions_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../extensions");
        assert_eq!(load_flow_triggers(&dir).unwrap(), triggers());
        assert_eq!(load_flow_triggers(&dir.join("missing")).unwrap(), vec![]);
    }

    #[test]
    fn accepts_a_complete_payload() {
        assert_eq!(check(&good()), Vec::<Value>::new());
        let mut numeric = good();
        numeric["product_id"] = json!(7);
        assert_eq!(check(&numeric), Vec::<Value>::new());
    }

    #[test]
    fn unknown_handle_and_non_objects() {
        let e = validate(&triggers(), Some("nope"), &good(), |_, _| true);
        assert_eq!(fields(&e), ["handle"]);
        assert_eq!(fields(&validate(&triggers(), None, &good(), |_, _| true)), ["handle"]);
        assert_eq!(fields(&check(&json!("{\"SKU\": \"x\"}"))), ["payload"]);
        assert_eq!(fields(&check(&Value::Null)), ["payload"]);
    }

    #[test]
    fn payload_size_limit() {
        let mut p = good();
        p["Variant"] = json!("x".repeat(MAX_PAYLOAD_BYTES));
        let e = check(&p);
        assert_eq!(fields(&e), ["payload"]);
        assert!(e[0]["message"].as_str().unwrap().contains("50,000 bytes"));
    }

    #[test]
    fn missing_extra_and_mistyped_fields() {
        let mut p = good();
        p.as_object_mut().unwrap().remove("SKU");
        p["Extra"] = json!(1);
        p["On hand"] = json!("3");
        p["Alert URL"] = json!("/app/variants/42");
        assert_eq!(fields(&check(&p)), ["payload.SKU", "payload.On hand", "payload.Alert URL", "payload.Extra"]);
    }

    #[test]
    fn references_must_name_an_existing_product() {
        for (v, ok) in [
            (json!(7), true),
            (json!("gid://shopify/Product/7"), true),
            (json!(8), false),
            (json!("gid://shopify/ProductVariant/7"), false),
            (json!("7"), false),
            (json!(-7), false),
        ] {
            let mut p = good();
            p["product_id"] = v.clone();
            assert_eq!(check(&p).is_empty(), ok, "{v}");
        }
    }
}
