//! The server functions' answer format: JSON, as Leptos's default, but read in the browser
//! from a `&str`. A resource's data embedded in the server-rendered page is read from a
//! `&str` too, so each answer type needs one JSON deserializer in the wasm instead of two
//! (Leptos's own `Json` reads answers from bytes): a smaller browser bundle.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}

/// `#[server(output = crate::api::codec::Json)]`: a POST answered with JSON.
pub type Json = Post<JsonText>;
