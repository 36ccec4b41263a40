#pragma once

// How a TOML value's type reads in a message ("must be a string, not an integer"), for the two
// readers of TOML files: the app's kiosk.toml (kiosk/app/Config.cpp) and the pack tool's source
// folders (kiosk/pack/Source.cpp). Header-only; include it only where toml++ is linked.

#include <toml++/toml.h>

namespace kiosk {

inline char const* toml_type_name(toml::node const& node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a decimal number";
    case toml::node_type::boolean:
        return "true/false";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "a list";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
        return "a date or time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

} // namespace kiosk
