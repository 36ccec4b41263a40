#pragma once

// The SQL schema of pack format version 1 (docs/pack-format.md). The writer creates exactly these
// objects; the reader refuses a pack holding anything else (a trigger or view could run code paths
// we never meant to expose to a stranger's file).

#include <array>
#include <string_view>

namespace kiosk::content::schema {

inline constexpr std::string_view create_sql = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE media (
    id        INTEGER PRIMARY KEY,
    sha256    TEXT NOT NULL UNIQUE,
    mime      TEXT NOT NULL,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    data      BLOB NOT NULL
);
CREATE TABLE slides (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    layout      TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    transition  TEXT NOT NULL DEFAULT 'fade',
    accent      TEXT NOT NULL DEFAULT '',
    media_id    INTEGER REFERENCES media(id)
);
CREATE TABLE slide_text (
    slide_id INTEGER NOT NULL REFERENCES slides(id),
    lang     TEXT NOT NULL,
    field    TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (slide_id, lang, field)
);
)sql";

// Every schema object a valid pack has: type, name. Autoindexes of the PRIMARY KEY / UNIQUE
// constraints are expected too (names start with "sqlite_autoindex_<table>").
struct Object {
    std::string_view type;
    std::string_view name;
};
inline constexpr std::array<Object, 4> tables = { {
    { "table", "meta" },
    { "table", "media" },
    { "table", "slides" },
    { "table", "slide_text" },
} };

} // namespace kiosk::content::schema
