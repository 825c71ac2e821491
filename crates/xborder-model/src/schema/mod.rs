//! The JSON Schema (draft-07) of the data map format 1 (`docs/format.md`), for editors
//! (`# yaml-language-server: $schema=…`) and other tools.
//!
//! It is generated from the same [`Vocabulary`] the validator uses, so a rulebook extended with
//! `--rules` extends the schema too. The schema checks shape and words (keys, kinds, enums,
//! date and id syntax); what needs the whole map — references between entities, flows and
//! agreements, SCC modules against roles — stays with `xborder validate`.

use crate::Vocabulary;
use crate::vocabulary::FieldKind;
use serde_json::{Value, json};

mod intake;

pub use intake::intake_schema;

/// Where the committed copy of the schema lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "docs/schema/map.schema.json";

/// The definitions shared by the map and the vendor intake schemas: one per section of the
/// map, and the scalars (ids, dates, countries) they share.
fn definitions(vocabulary: &Vocabulary) -> Value {
    json!({
        "id": id(),
        "date": date(),
        "country": country(vocabulary),
        "entity": entity(vocabulary),
        "flow": flow(),
        "agreement": agreement(),
        "mechanisms": {
            "type": ["array", "null"],
            "items": { "$ref": "#/definitions/mechanism" }
        },
        "mechanism": {
            "description": "a legal transfer mechanism; `kind` selects its fields",
            "oneOf": mechanism_kinds(vocabulary)
        },
        "categories": categories(vocabulary)
    })
}

/// A map id: entities, flows, agreements, categories.
fn id() -> Value {
    json!({
        "type": "string",
        "pattern": "^[a-z0-9][a-z0-9._-]*$",
        "description": "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
    })
}

/// A calendar date.
fn date() -> Value {
    json!({
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "format": "date",
        "description": "YYYY-MM-DD"
    })
}

/// Non-empty text.
fn text() -> Value {
    json!({ "type": "string", "minLength": 1 })
}

/// A reference to the `date` definition.
fn date_ref() -> Value {
    json!({ "$ref": "#/definitions/date" })
}

/// A country, subdivision or (for data subjects) rulebook region.
fn country(vocabulary: &Vocabulary) -> Value {
    let countries: Vec<Value> = (vocabulary.country_codes)()
        .into_iter()
        .map(|c| json!(c))
        .collect();
    let regions: Vec<Value> = vocabulary.regions.iter().map(|r| json!(r)).collect();
    json!({
        "description": "ISO 3166-1 alpha-2 code, ISO 3166-2 subdivision (US-CA), or for data subjects a rulebook region (EEA)",
        "anyOf": [
            { "type": "string", "enum": countries },
            { "type": "string", "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$" },
            { "type": "string", "enum": regions }
        ]
    })
}

/// An entry of `entities:`.
fn entity(vocabulary: &Vocabulary) -> Value {
    let countries: Vec<Value> = (vocabulary.country_codes)()
        .into_iter()
        .map(|c| json!(c))
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "kind", "country"],
        "properties": {
            "name": text(),
            "kind": { "type": "string", "enum": ["company", "vendor", "partner", "authority", "subjects"] },
            "country": { "$ref": "#/definitions/country" },
            "processing": {
                "type": "array",
                "minItems": 1,
                "description": "countries where it stores or accesses received data (default [country])",
                "items": { "type": "string", "enum": countries }
            },
            "role": { "type": "string", "enum": ["controller", "processor"] },
            "sector": { "type": "string", "enum": ["private", "public", "nonprofit", "academic"] },
            "subject-to": { "type": "array", "items": text(), "description": "facts the rulebook may test (pipeda, fsc-supervised, ...); [] says none applies" },
            "legal-person": { "$ref": "#/definitions/id", "description": "the entity this one is part of (a branch, office or establishment of the same legal person)" },
            "certifications": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["framework", "from"],
                    "properties": {
                        "framework": { "type": "string", "enum": vocabulary.frameworks.iter().collect::<Vec<_>>() },
                        "from": date_ref(),
                        "until": date_ref(),
                        "scope": { "type": "array", "items": { "type": "string", "enum": ["hr", "non-hr"] } }
                    }
                }
            },
            "evidence": { "type": "string" }
        }
    })
}

/// An entry of `flows:`.
fn flow() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["from", "to", "data"],
        "properties": {
            "id": { "$ref": "#/definitions/id" },
            "from": { "$ref": "#/definitions/id" },
            "to": { "$ref": "#/definitions/id" },
            "data": {
                "type": "array",
                "minItems": 1,
                "description": "rulebook base categories or map categories",
                "items": { "$ref": "#/definitions/id" }
            },
            "purpose": text(),
            "automated": { "type": "boolean", "description": "the transfer is automated, or the data is processed automatically at the destination" },
            "public-powers": { "type": "boolean", "description": "the exporter acts in the exercise of its public powers" },
            "opt-in": { "type": "boolean", "description": "the data subjects gave affirmative express (opt-in) consent to this disclosure" },
            "individuals-per-year": { "type": "integer", "minimum": 0, "description": "how many individuals' personal data the flow carries out of the exporter's jurisdiction in the calendar year of the as-of date (counted from 1 January); thresholds that count per exporter add up its flows" },
            "pia": { "$ref": "#/definitions/date", "description": "the day a privacy / personal-information impact assessment of this transfer was documented" },
            "roles": { "type": "string", "enum": [
                "controller->controller", "controller->processor",
                "processor->processor", "processor->controller"
            ] },
            "mechanisms": { "$ref": "#/definitions/mechanisms" },
            "agreement": { "$ref": "#/definitions/id" },
            "evidence": { "type": "string" }
        }
    })
}

/// An entry of `agreements:`.
fn agreement() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["between"],
        "properties": {
            "between": { "type": "array", "items": { "$ref": "#/definitions/id" } },
            "signed": date_ref(),
            "expires": date_ref(),
            "mechanisms": { "$ref": "#/definitions/mechanisms" },
            "evidence": { "type": "string" }
        }
    })
}

/// One object per kind of the rulebook's `mechanism-kinds` table, with its typed fields, then
/// one per framework mechanism.
fn mechanism_kinds(vocabulary: &Vocabulary) -> Vec<Value> {
    let mut kinds: Vec<Value> = vocabulary
        .mechanism_kinds
        .iter()
        .map(|k| {
            let mut properties = serde_json::Map::new();
            let mut required = vec![json!("kind")];
            for f in &k.fields {
                let mut schema = match f.kind {
                    FieldKind::Date => date_ref(),
                    FieldKind::Bool => json!({ "type": "boolean" }),
                    FieldKind::Text => text(),
                    FieldKind::Count => json!({ "type": "integer", "minimum": 0 }),
                    FieldKind::SccVersion => json!({ "type": "string", "enum": vocabulary.scc_versions.iter().collect::<Vec<_>>() }),
                    FieldKind::SccModule => json!({ "type": "integer", "minimum": 1, "maximum": 4 }),
                    FieldKind::Ground => json!({ "type": "string", "enum": vocabulary.derogation_grounds.iter().collect::<Vec<_>>() }),
                    FieldKind::Choice => json!({ "type": "string", "enum": f.values }),
                };
                if let Value::Object(o) = &mut schema
                    && !o.contains_key("$ref")
                {
                    o.insert("description".into(), json!(f.summary));
                }
                properties.insert(f.name.clone(), schema);
                if f.required {
                    required.push(json!(f.name));
                }
            }
            let mut kind = object(&k.kind, k.summary.trim(), Value::Object(properties));
            kind["required"] = Value::Array(required);
            kind
        })
        .collect();
    for kind in &vocabulary.framework_mechanisms {
        kinds.push(object(
            kind,
            "valid only if the importer holds the matching certification at the date, in scope for the data",
            json!({}),
        ));
    }
    kinds
}

/// The `categories:` section: map categories, each like a rulebook base category.
fn categories(vocabulary: &Vocabulary) -> Value {
    json!({
        "type": ["object", "null"],
        "description": "map-specific data categories, each like a rulebook base category",
        "propertyNames": { "$ref": "#/definitions/id" },
        "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": ["like"],
            "properties": {
                "like": { "type": "string", "enum": vocabulary.categories.iter().collect::<Vec<_>>() }
            }
        }
    })
}

/// The map format's JSON Schema.
pub fn map_schema(vocabulary: &Vocabulary) -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://example.invalid/xborder/schema/map-1.json",
        "title": "xborder data map (format 1)",
        "description": "Who sends which personal data to whom, where it is processed and under which mechanism. See docs/format.md. Generated by `xborder schema`.",
        "type": "object",
        "additionalProperties": false,
        "required": ["format", "organisation", "entities", "flows"],
        "properties": {
            "format": { "const": 1 },
            "organisation": { "type": "string", "minLength": 1, "description": "whose map this is" },
            "describes": {
                "type": "object",
                "description": "the period the map describes (both days included): checking it as of a date outside warns",
                "additionalProperties": false,
                "minProperties": 1,
                "properties": {
                    "from": { "$ref": "#/definitions/date" },
                    "until": { "$ref": "#/definitions/date" }
                }
            },
            "entities": {
                "type": ["object", "null"],
                "description": "organisations and groups of data subjects, keyed by id",
                "propertyNames": { "$ref": "#/definitions/id" },
                "additionalProperties": { "$ref": "#/definitions/entity" }
            },
            "categories": { "$ref": "#/definitions/categories" },
            "flows": {
                "type": ["array", "null"],
                "items": { "$ref": "#/definitions/flow" }
            },
            "agreements": {
                "type": ["object", "null"],
                "propertyNames": { "$ref": "#/definitions/id" },
                "additionalProperties": { "$ref": "#/definitions/agreement" }
            }
        },
        "definitions": definitions(vocabulary)
    })
}

/// One mechanism kind: `kind` fixed, only its own fields.
fn object(kind: &str, description: &str, fields: Value) -> Value {
    let mut properties = json!({ "kind": { "const": kind } });
    if let (Some(target), Value::Object(extra)) = (properties.as_object_mut(), fields) {
        target.extend(extra);
    }
    json!({
        "type": "object",
        "description": format!("{kind}: {description}"),
        "additionalProperties": false,
        "required": ["kind"],
        "properties": properties
    })
}

/// The schema as pretty JSON with a final newline: the bytes `xborder schema` prints and
/// the committed copy holds.
pub fn to_pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
