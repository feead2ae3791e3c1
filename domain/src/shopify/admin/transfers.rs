//! Stock on its way in Shopify, with its dates: inventory transfers (which Shopify's own
//! purchase orders receive through) and their shipments. A purchase order's lines carry
//! neither an arrival date nor a received quantity (2026-10), so the dates come from the
//! shipments: `InventoryShipment.tracking.arrivesAt`, the units from each shipment line's
//! `unreceivedQuantity`. Units of a transfer not shipped yet have no date.
//! Scopes: `read_inventory_transfers`, `read_inventory_shipments`.
//! (shopify.dev: admin-graphql/2026-10 `inventoryTransfers`, `InventoryTransfer`,
//! `InventoryShipment`, `InventoryShipmentTracking`, `InventoryShipmentLineItem`.)

use super::{numeric_id, Nodes, PageInfo};
use crate::engine::ShopZone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Open transfers (ready to ship or under way), with their lines and shipments; variables
/// `{"first": Int!, "after": String}`.
pub const INCOMING_TRANSFERS_QUERY: &str = "query StockSentryIncoming($first: Int!, $after: String) { inventoryTransfers(first: $first, after: $after, query: \"status:READY_TO_SHIP OR status:IN_PROGRESS\", sortKey: EXPECTED_SHIPMENT_ARRIVAL) { nodes { id status destination { location { id } } lineItems(first: 250) { nodes { inventoryItem { id } totalQuantity shippedQuantity } } shipments(first: 50) { nodes { id status tracking { arrivesAt } lineItems(first: 250) { nodes { inventoryItem { id } unreceivedQuantity } } } } } pageInfo { hasNextPage endCursor } } }";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransfersData {
    pub inventory_transfers: TransferConnection,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferConnection {
    pub nodes: Vec<Transfer>,
    pub page_info: PageInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub id: String,
    pub status: String,
    pub destination: Option<LocationSnapshot>,
    pub line_items: Nodes<TransferLine>,
    pub shipments: Nodes<Shipment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationSnapshot {
    /// `None` when the location was deleted (or the destination is not a location).
    pub location: Option<IdOnly>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdOnly {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferLine {
    pub inventory_item: Option<IdOnly>,
    pub total_quantity: i64,
    pub shipped_quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    pub id: String,
    pub status: String,
    pub tracking: Option<Tracking>,
    pub line_items: Nodes<ShipmentLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    pub arrives_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentLine {
    pub inventory_item: Option<IdOnly>,
    pub unreceived_quantity: i64,
}

/// Units expected at a location for an inventory item on a day (`None`: no date known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IncomingStock {
    pub location_id: i64,
    pub inventory_item_id: i64,
    pub arrives_on: Option<NaiveDate>,
    pub units: i64,
}

/// What open transfers still bring, per location, item and arrival day (in the shop's
/// zone): shipments in transit or partly received by their unreceived units at their
/// `arrivesAt`; units not shipped yet without a date. Transfers to something that is not a
/// location, and lines without an item, are skipped.
pub fn incoming_stock(transfers: &[Transfer], zone: ShopZone) -> Vec<IncomingStock> {
    let mut sum: BTreeMap<(i64, i64, Option<NaiveDate>), i64> = BTreeMap::new();
    for t in transfers {
        if !matches!(t.status.as_str(), "READY_TO_SHIP" | "IN_PROGRESS") {
            continue;
        }
        let Some(location_id) = t.destination.as_ref().and_then(|d| d.location.as_ref()).and_then(|l| numeric_id(&l.id)) else {
            continue;
        };
        for s in &t.shipments.nodes {
            if !matches!(s.status.as_str(), "IN_TRANSIT" | "PARTIALLY_RECEIVED") {
                continue;
            }
            let day = s.tracking.as_ref().and_then(|t| t.arrives_at.as_deref()).and_then(|at| local_day(at, zone));
            for l in &s.line_items.nodes {
                if let (Some(item), units @ 1..) = (l.inventory_item.as_ref().and_then(|i| numeric_id(&i.id)), l.unreceived_quantity) {
                    *sum.entry((location_id, item, day)).or_default() += units;
                }
            }
        }
        for l in &t.line_items.nodes {
            if let (Some(item), units @ 1..) =
                (l.inventory_item.as_ref().and_then(|i| numeric_id(&i.id)), l.total_quantity - l.shipped_quantity)
            {
                *sum.entry((location_id, item, None)).or_default() += units;
            }
        }
    }
    sum.into_iter()
        .map(|((location_id, inventory_item_id, arrives_on), units)| IncomingStock { location_id, inventory_item_id, arrives_on, units })
        .collect()
}

fn local_day(at: &str, zone: ShopZone) -> Option<NaiveDate> {
    let utc: DateTime<Utc> = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    zone.local_date(utc.timestamp()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::UtcOffset;

    fn transfer(status: &str, location: Option<i64>, lines: &[(i64, i64, i64)], shipments: Vec<Shipment>) -> Transfer {
        Transfer {
            id: "gid://shopify/InventoryTransfer/1".into(),
            status: status.into(),
            destination: Some(LocationSnapshot { location: location.map(|l| IdOnly { id: format!("gid://shopify/Location/{l}") }) }),
            line_items: Nodes {
                nodes: lines
                    .iter()
                    .map(|&(item, total, shipped)| TransferLine {
                        inventory_item: Some(IdOnly { id: format!("gid://shopify/InventoryItem/{item}") }),
                        total_quantity: total,
                        shipped_quantity: shipped,
                    })
                    .collect(),
            },
            shipments: Nodes { nodes: shipments },
        }
    }

    fn shipment(status: &str, arrives_at: Option<&str>, lines: &[(i64, i64)]) -> Shipment {
        Shipment {
            id: "gid://shopify/InventoryShipment/1".into(),
            status: status.into(),
            tracking: Some(Tracking { arrives_at: arrives_at.map(str::to_string) }),
            line_items: Nodes {
                nodes: lines
                    .iter()
                    .map(|&(item, unreceived)| ShipmentLine {
                        inventory_item: Some(IdOnly { id: format!("gid://shopify/InventoryItem/{item}") }),
                        unreceived_quantity: unreceived,
                    })
                    .collect(),
            },
        }
    }

    #[test]
    fn shipped_units_arrive_on_their_day_and_the_rest_undated() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day);
        let zone = ShopZone::named("America/New_York", UtcOffset::UTC);
        let t = transfer(
            "IN_PROGRESS",
            Some(7),
            &[(100, 50, 30), (200, 10, 10)],
            vec![
                // 02:00 UTC on the 15th is still the 14th in New York.
                shipment("IN_TRANSIT", Some("2027-01-15T02:00:00Z"), &[(100, 20), (200, 10)]),
                shipment("PARTIALLY_RECEIVED", Some("2027-01-20T15:00:00Z"), &[(100, 4)]),
                shipment("RECEIVED", Some("2027-01-02T15:00:00Z"), &[(100, 6)]),
                shipment("IN_TRANSIT", None, &[(200, 0)]),
            ],
        );
        let got = incoming_stock(&[t], zone);
        assert_eq!(
            got,
            vec![
                IncomingStock { location_id: 7, inventory_item_id: 100, arrives_on: None, units: 20 },
                IncomingStock { location_id: 7, inventory_item_id: 100, arrives_on: d(1, 14), units: 20 },
                IncomingStock { location_id: 7, inventory_item_id: 100, arrives_on: d(1, 20), units: 4 },
                IncomingStock { location_id: 7, inventory_item_id: 200, arrives_on: d(1, 14), units: 10 },
            ]
        );
    }

    #[test]
    fn closed_transfers_and_other_destinations_bring_nothing() {
        let zone = ShopZone::named("UTC", UtcOffset::UTC);
        let s = || vec![shipment("IN_TRANSIT", Some("2027-01-15T02:00:00Z"), &[(100, 5)])];
        assert!(incoming_stock(&[transfer("TRANSFERRED", Some(7), &[(100, 5, 5)], s())], zone).is_empty());
        assert!(incoming_stock(&[transfer("CANCELED", Some(7), &[(100, 5, 0)], s())], zone).is_empty());
        assert!(incoming_stock(&[transfer("IN_PROGRESS", None, &[(100, 5, 5)], s())], zone).is_empty());
    }

    #[test]
    fn the_document_asks_for_what_is_read() {
        for field in ["inventoryTransfers", "arrivesAt", "unreceivedQuantity", "shippedQuantity", "destination { location { id } }"] {
            assert!(INCOMING_TRANSFERS_QUERY.contains(field), "{field}");
        }
    }
}
