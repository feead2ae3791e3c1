//! Bulk operation result files: JSON Lines where nested connection items are separate lines
//! pointing at their parent with `__parentId` (in any order: with `groupObjects: false`
//! children may come before their parent), parsed into typed catalog and order records; and
//! how much of a byte range of an orders export can be imported on its own.

use super::{gid, money_to_cents, Gid, IdOnlyNode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonlError {
    #[error("line {line}: not a JSON object: {message}")]
    Malformed { line: usize, message: String },
    #[error("line {line}: {message}")]
    BadRecord { line: usize, message: String },
    #[error("line {line}: unexpected record type `{kind}`")]
    UnexpectedType { line: usize, kind: String },
    #[error("line {line}: parent `{parent}` is not in the file")]
    OrphanChild { line: usize, parent: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProductRecord {
    pub id: i64,
    pub title: String,
    pub vendor: String,
    pub product_type: String,
    /// `ProductStatus` lowercased, as REST and webhooks spell it: active, archived, draft,
    /// unlisted. Only active products can sell out or pile up in the merchant's eyes.
    pub status: String,
    /// Gift cards cannot run out.
    pub gift_card: bool,
    /// `Product.createdAt`: no history before it.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantRecord {
    pub id: i64,
    pub product_id: i64,
    pub inventory_item_id: i64,
    pub title: String,
    pub sku: Option<String>,
    pub price_cents: i64,
    pub cost_cents: Option<i64>,
    /// `InventoryItem.tracked`: Shopify counts its stock (untracked items never run out).
    pub tracked: bool,
    /// `ProductVariant.createdAt`: no history before it, a launch forecast for two weeks after.
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InventoryLevelRecord {
    pub variant_id: i64,
    pub inventory_item_id: i64,
    pub location_id: i64,
    pub available: i64,
    pub incoming: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogExport {
    pub products: Vec<ProductRecord>,
    pub variants: Vec<VariantRecord>,
    pub levels: Vec<InventoryLevelRecord>,
    /// Shopify bundles: each component of a bundle variant (`productVariantComponents`).
    pub components: Vec<crate::bundles::Component>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderRecord {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The location that fulfilled the order (first fulfillment), if fulfilled.
    pub location_id: Option<i64>,
    pub line_items: Vec<LineItemRecord>,
    pub refunds: Vec<RefundRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineItemRecord {
    pub id: i64,
    /// None when the variant was deleted since.
    pub variant_id: Option<i64>,
    pub sku: Option<String>,
    pub quantity: i64,
    /// Units refunded or removed: `quantity - currentQuantity`.
    pub refunded_quantity: i64,
    pub unit_price_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefundRecord {
    pub id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Line {
    id: String,
    #[serde(rename = "__parentId", default)]
    parent_id: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

fn field<T: for<'de> Deserialize<'de>>(rest: &serde_json::Map<String, Value>, name: &str, line: usize) -> Result<T, JsonlError> {
    let v = rest.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| JsonlError::BadRecord { line, message: format!("field `{name}`: {e}") })
}

fn id_of(raw: &str, line: usize) -> Result<Gid, JsonlError> {
    Gid::parse(raw).map_err(|e| JsonlError::BadRecord { line, message: e.to_string() })
}

fn money_field(rest: &serde_json::Map<String, Value>, name: &str, line: usize) -> Result<i64, JsonlError> {
    let s: String = field(rest, name, line)?;
    money_to_cents(&s).ok_or_else(|| JsonlError::BadRecord { line, message: format!("field `{name}`: `{s}` is not an amount") })
}

fn lines(jsonl: &str) -> impl Iterator<Item = Result<(usize, Gid, Line), JsonlError>> + '_ {
    jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| {
        let line = i + 1;
        let parsed: Line = serde_json::from_str(l).map_err(|e| JsonlError::Malformed { line, message: e.to_string() })?;
        let gid = id_of(&parsed.id, line)?;
        Ok((line, gid, parsed))
    })
}

/// Parses the result file of `CATALOG_BULK_QUERY`. Lines may come in any order; an inventory
/// level is attached to its variant through `__parentId` (the variant) or, failing that,
/// through its `item` (the inventory item), so either parenting convention parses.
pub fn parse_catalog_jsonl(jsonl: &str) -> Result<CatalogExport, JsonlError> {
    let mut out = CatalogExport::default();
    // (line, parent gid, record) waiting for the parents to be known.
    let mut pending_variants = Vec::new();
    let mut pending_levels = Vec::new();
    let mut pending_components = Vec::new();
    for item in lines(jsonl) {
        let (line, gid, l) = item?;
        match gid.kind.as_str() {
            "Product" => out.products.push(ProductRecord {
                id: gid.id,
                title: field(&l.rest, "title", line)?,
                vendor: field::<Option<String>>(&l.rest, "vendor", line)?.unwrap_or_default(),
                product_type: field::<Option<String>>(&l.rest, "productType", line)?.unwrap_or_default(),
                status: field::<Option<String>>(&l.rest, "status", line)?.unwrap_or_else(|| "ACTIVE".into()).to_ascii_lowercase(),
                gift_card: field::<Option<bool>>(&l.rest, "isGiftCard", line)?.unwrap_or(false),
                created_at: field(&l.rest, "createdAt", line)?,
                updated_at: field(&l.rest, "updatedAt", line)?,
            }),
            "ProductVariant" => {
                let parent =
                    l.parent_id.clone().ok_or_else(|| JsonlError::BadRecord { line, message: "variant without __parentId".into() })?;
                let item: IdOnlyNode = field(&l.rest, "inventoryItem", line)?;
                let cost: Option<i64> = match l.rest.get("inventoryItem").and_then(|i| i.get("unitCost")).and_then(|c| c.get("amount")) {
                    Some(Value::String(s)) => Some(
                        money_to_cents(s)
                            .ok_or_else(|| JsonlError::BadRecord { line, message: format!("unit cost `{s}` is not an amount") })?,
                    ),
                    _ => None,
                };
                let variant = VariantRecord {
                    id: gid.id,
                    product_id: 0,
                    inventory_item_id: id_of(&item.id, line)?.id,
                    title: field(&l.rest, "title", line)?,
                    sku: field::<Option<String>>(&l.rest, "sku", line)?.filter(|s| !s.is_empty()),
                    price_cents: money_field(&l.rest, "price", line)?,
                    cost_cents: cost,
                    tracked: l.rest.get("inventoryItem").and_then(|i| i.get("tracked")).and_then(Value::as_bool).unwrap_or(true),
                    created_at: field(&l.rest, "createdAt", line)?,
                    updated_at: field(&l.rest, "updatedAt", line)?,
                };
                pending_variants.push((line, parent, variant));
            }
            "InventoryLevel" => {
                let location: IdOnlyNode = field(&l.rest, "location", line)?;
                let item: Option<IdOnlyNode> = field(&l.rest, "item", line)?;
                let quantities: Vec<NamedQuantity> = field(&l.rest, "quantities", line)?;
                let qty = |name: &str| quantities.iter().find(|q| q.name == name).map(|q| q.quantity);
                let available =
                    qty("available").ok_or_else(|| JsonlError::BadRecord { line, message: "no `available` quantity".into() })?;
                let level = InventoryLevelRecord {
                    variant_id: 0,
                    inventory_item_id: match item {
                        Some(i) => id_of(&i.id, line)?.id,
                        None => 0,
                    },
                    location_id: id_of(&location.id, line)?.id,
                    available,
                    incoming: qty("incoming").unwrap_or(0),
                    updated_at: field(&l.rest, "updatedAt", line)?,
                };
                pending_levels.push((line, l.parent_id.clone(), level));
            }
            // A component of a bundle variant: its parent is the bundle.
            "ProductVariantComponent" => {
                let parent =
                    l.parent_id.as_deref().ok_or_else(|| JsonlError::BadRecord { line, message: "component without __parentId".into() })?;
                let bundle = id_of(parent, line)?;
                let variant: IdOnlyNode = field(&l.rest, "productVariant", line)?;
                let quantity: i64 = field(&l.rest, "quantity", line)?;
                pending_components.push((line, bundle, id_of(&variant.id, line)?.id, quantity));
            }
            other => return Err(JsonlError::UnexpectedType { line, kind: other.to_string() }),
        }
    }
    let products: std::collections::HashSet<i64> = out.products.iter().map(|p| p.id).collect();
    for (line, parent, mut v) in pending_variants {
        let p = id_of(&parent, line)?;
        if p.kind != "Product" || !products.contains(&p.id) {
            return Err(JsonlError::OrphanChild { line, parent });
        }
        v.product_id = p.id;
        out.variants.push(v);
    }
    let by_variant: HashMap<i64, i64> = out.variants.iter().map(|v| (v.id, v.inventory_item_id)).collect();
    let by_item: HashMap<i64, i64> = out.variants.iter().map(|v| (v.inventory_item_id, v.id)).collect();
    for (line, parent, mut level) in pending_levels {
        let parent_gid = parent.as_deref().map(|p| id_of(p, line)).transpose()?;
        let variant = match parent_gid {
            Some(g) if g.kind == "ProductVariant" => by_variant.get(&g.id).map(|item| (g.id, *item)),
            Some(g) if g.kind == "InventoryItem" => by_item.get(&g.id).map(|v| (*v, g.id)),
            _ => by_item.get(&level.inventory_item_id).map(|v| (*v, level.inventory_item_id)),
        };
        let Some((variant_id, item_id)) = variant else {
            return Err(JsonlError::OrphanChild { line, parent: parent.unwrap_or_else(|| gid("InventoryItem", level.inventory_item_id)) });
        };
        level.variant_id = variant_id;
        level.inventory_item_id = item_id;
        out.levels.push(level);
    }
    for (line, bundle, component, quantity) in pending_components {
        if bundle.kind != "ProductVariant" || !by_variant.contains_key(&bundle.id) {
            return Err(JsonlError::OrphanChild { line, parent: gid(&bundle.kind, bundle.id) });
        }
        // Shopify keeps a bundle from containing itself; a quantity under 1 is no component.
        if component != bundle.id && quantity > 0 {
            out.components.push(crate::bundles::Component {
                bundle_variant_id: bundle.id,
                component_variant_id: component,
                quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
            });
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct NamedQuantity {
    name: String,
    quantity: i64,
}

#[derive(Deserialize)]
struct FulfillmentLine {
    location: Option<IdOnlyNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefundLine {
    id: String,
    created_at: DateTime<Utc>,
}

/// Parses the result file of `orders_bulk_query`: orders with their line items and refunds,
/// in file order of the orders.
pub fn parse_orders_jsonl(jsonl: &str) -> Result<Vec<OrderRecord>, JsonlError> {
    let mut orders: Vec<OrderRecord> = Vec::new();
    let mut pending_items = Vec::new();
    for item in lines(jsonl) {
        let (line, gid, l) = item?;
        match gid.kind.as_str() {
            "Order" => {
                let fulfillments: Option<Vec<FulfillmentLine>> = field(&l.rest, "fulfillments", line)?;
                let location_id = match fulfillments.unwrap_or_default().into_iter().find_map(|f| f.location) {
                    Some(loc) => Some(id_of(&loc.id, line)?.id),
                    None => None,
                };
                let refunds: Option<Vec<RefundLine>> = field(&l.rest, "refunds", line)?;
                let refunds = refunds
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| Ok(RefundRecord { id: id_of(&r.id, line)?.id, created_at: r.created_at }))
                    .collect::<Result<Vec<_>, JsonlError>>()?;
                orders.push(OrderRecord {
                    id: gid.id,
                    name: field::<Option<String>>(&l.rest, "name", line)?.unwrap_or_default(),
                    created_at: field(&l.rest, "createdAt", line)?,
                    cancelled_at: field(&l.rest, "cancelledAt", line)?,
                    location_id,
                    line_items: Vec::new(),
                    refunds,
                });
            }
            "LineItem" => {
                let parent =
                    l.parent_id.clone().ok_or_else(|| JsonlError::BadRecord { line, message: "line item without __parentId".into() })?;
                let quantity: i64 = field(&l.rest, "quantity", line)?;
                let current: Option<i64> = field(&l.rest, "currentQuantity", line)?;
                let variant: Option<IdOnlyNode> = field(&l.rest, "variant", line)?;
                let price = l
                    .rest
                    .get("originalUnitPriceSet")
                    .and_then(|s| s.get("shopMoney"))
                    .and_then(|m| m.get("amount"))
                    .and_then(Value::as_str)
                    .and_then(money_to_cents);
                let item = LineItemRecord {
                    id: gid.id,
                    variant_id: match variant {
                        Some(v) => Some(id_of(&v.id, line)?.id),
                        None => None,
                    },
                    sku: field::<Option<String>>(&l.rest, "sku", line)?.filter(|s| !s.is_empty()),
                    quantity,
                    refunded_quantity: (quantity - current.unwrap_or(quantity)).max(0),
                    unit_price_cents: price,
                };
                pending_items.push((line, parent, item));
            }
            other => return Err(JsonlError::UnexpectedType { line, kind: other.to_string() }),
        }
    }
    let index: HashMap<i64, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    for (line, parent, item) in pending_items {
        let p = id_of(&parent, line)?;
        match index.get(&p.id) {
            Some(&i) if p.kind == "Order" => orders[i].line_items.push(item),
            _ => return Err(JsonlError::OrphanChild { line, parent }),
        }
    }
    Ok(orders)
}

/// How much of a byte range of an orders export can be imported on its own: whole lines
/// only, and only whole orders — Shopify writes each order's line before its line items,
/// so the range is cut before its last top-level line (whose items may continue in the
/// next range), unless the range ends the file. Returns the prefix length in bytes.
pub fn complete_orders_prefix(chunk: &[u8], ends_file: bool) -> usize {
    let whole_lines = if ends_file { chunk.len() } else { chunk.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) };
    if ends_file {
        return whole_lines;
    }
    let lines = &chunk[..whole_lines];
    // Start offsets of every line; the last top-level (no __parentId) line starts the cut.
    let mut start = 0;
    let mut cut = 0;
    for (i, &b) in lines.iter().enumerate() {
        if b == b'\n' {
            let line = &lines[start..i];
            if !line.windows(b"__parentId".len()).any(|w| w == b"__parentId") && !line.is_empty() {
                cut = start;
            }
            start = i + 1;
        }
    }
    cut
}

#[cfg(test)]
mod chunk_tests {
    use super::complete_orders_prefix;

    const EXPORT: &str = concat!(
        "{\"id\":\"gid://shopify/Order/1\"}\n",
        "{\"id\":\"gid://shopify/LineItem/11\",\"__parentId\":\"gid://shopify/Order/1\"}\n",
        "{\"id\":\"gid://shopify/Order/2\"}\n",
        "{\"id\":\"gid://shopify/LineItem/21\",\"__parentId\":\"gid://shopify/Order/2\"}\n",
    );

    #[test]
    fn a_range_is_cut_before_its_last_order() {
        let b = EXPORT.as_bytes();
        let second_order = EXPORT.find("{\"id\":\"gid://shopify/Order/2").unwrap();
        // Whole file in range, but not known to be the end: order 2 may have more items.
        assert_eq!(complete_orders_prefix(b, false), second_order);
        assert_eq!(complete_orders_prefix(b, true), b.len());
        // A range ending mid-line keeps only whole lines, then whole orders.
        assert_eq!(complete_orders_prefix(&b[..second_order + 10], false), 0);
        let mid_item = second_order + EXPORT[second_order..].find('\n').unwrap() + 5;
        assert_eq!(complete_orders_prefix(&b[..mid_item], false), second_order);
        assert_eq!(complete_orders_prefix(b"", false), 0);
    }
}
