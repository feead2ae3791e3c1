//! A purchase order's life. Created as a draft from the reorder view (one per supplier and
//! destination), edited, sent to the supplier, then received — in parts or at once — or
//! cancelled. Receiving here records what arrived; the merchant still receives the stock
//! in Shopify, whose inventory levels stay the truth for what is on hand.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Sent,
    PartiallyReceived,
    Received,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("Only a draft can be sent (this order is {0}).")]
    SendNotDraft(&'static str),
    #[error("Only a sent order can be received (this order is {0}).")]
    ReceiveNotSent(&'static str),
    #[error("A {0} order cannot be cancelled.")]
    CancelTooLate(&'static str),
    #[error("Only a draft's lines can be edited (this order is {0}).")]
    EditNotDraft(&'static str),
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::PartiallyReceived => "partially received",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }

    /// As stored (`purchase_orders.status`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::PartiallyReceived => "partially_received",
            Self::Received => "received",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Draft, Self::Sent, Self::PartiallyReceived, Self::Received, Self::Cancelled].into_iter().find(|s| s.code() == code)
    }

    pub fn send(self) -> Result<Self, StatusError> {
        match self {
            Self::Draft => Ok(Self::Sent),
            s => Err(StatusError::SendNotDraft(s.as_str())),
        }
    }

    /// Lines are edited only while nothing has left the shop.
    pub fn edit(self) -> Result<Self, StatusError> {
        match self {
            Self::Draft => Ok(Self::Draft),
            s => Err(StatusError::EditNotDraft(s.as_str())),
        }
    }

    /// A draft or a sent order can be cancelled; one with stock received cannot.
    pub fn cancel(self) -> Result<Self, StatusError> {
        match self {
            Self::Draft | Self::Sent => Ok(Self::Cancelled),
            s => Err(StatusError::CancelTooLate(s.as_str())),
        }
    }

    /// After a receipt: received when every line has all its units, else partially.
    pub fn receive(self, receipt: &Receipt) -> Result<Self, StatusError> {
        match self {
            Self::Sent | Self::PartiallyReceived => Ok(if receipt.complete() { Self::Received } else { Self::PartiallyReceived }),
            s => Err(StatusError::ReceiveNotSent(s.as_str())),
        }
    }
}

/// Per line: units ordered and units received so far (this receipt included).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Receipt {
    pub lines: Vec<(u32, u32)>,
}

impl Receipt {
    pub fn complete(&self) -> bool {
        self.lines.iter().all(|&(ordered, received)| received >= ordered)
    }

    /// Lines where more arrived than was ordered: allowed (suppliers round up too), but
    /// flagged for the merchant. Indices into `lines`.
    pub fn over_received(&self) -> Vec<usize> {
        self.lines.iter().enumerate().filter(|(_, &(ordered, received))| received > ordered).map(|(i, _)| i).collect()
    }
}

/// A shop's n-th purchase order: `PO-0001`, growing past four digits when it must.
pub fn po_number(n: u32) -> String {
    format!("PO-{n:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_goes_draft_sent_partly_then_fully_received() {
        let s = Status::Draft.edit().unwrap().send().unwrap();
        assert_eq!(s, Status::Sent);
        let part = Receipt { lines: vec![(12, 12), (24, 10)] };
        let s = s.receive(&part).unwrap();
        assert_eq!(s, Status::PartiallyReceived);
        let rest = Receipt { lines: vec![(12, 12), (24, 26)] };
        assert_eq!(s.receive(&rest).unwrap(), Status::Received);
        assert_eq!(rest.over_received(), vec![1]);
    }

    #[test]
    fn out_of_order_steps_are_refused_with_the_reason() {
        assert_eq!(Status::Sent.send(), Err(StatusError::SendNotDraft("sent")));
        assert_eq!(Status::Draft.receive(&Receipt::default()), Err(StatusError::ReceiveNotSent("draft")));
        assert_eq!(Status::PartiallyReceived.cancel(), Err(StatusError::CancelTooLate("partially received")));
        assert_eq!(Status::Sent.edit(), Err(StatusError::EditNotDraft("sent")));
        assert_eq!(Status::Sent.cancel(), Ok(Status::Cancelled));
        assert_eq!(Status::Cancelled.send().unwrap_err().to_string(), "Only a draft can be sent (this order is cancelled).");
    }

    #[test]
    fn statuses_round_trip_through_their_stored_codes() {
        for s in [Status::Draft, Status::Sent, Status::PartiallyReceived, Status::Received, Status::Cancelled] {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Status::from_code("partially received"), None);
    }

    #[test]
    fn numbers_are_per_shop_and_padded() {
        assert_eq!(po_number(1), "PO-0001");
        assert_eq!(po_number(12_345), "PO-12345");
    }
}
