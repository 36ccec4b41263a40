#include "kiosk/content/Pack.h"

#include <cassert>

namespace kiosk::content {

char const* layout_name(Layout layout)
{
    switch (layout) {
    case Layout::Hero:
        return "hero";
    case Layout::Stats:
        return "stats";
    case Layout::Text:
        return "text";
    case Layout::Quote:
        return "quote";
    }
    return "hero";
}

std::optional<Layout> layout_from_name(std::string_view name)
{
    for (auto layout : { Layout::Hero, Layout::Stats, Layout::Text, Layout::Quote }) {
        if (name == layout_name(layout))
            return layout;
    }
    return std::nullopt;
}

SlideText const& Slide::text_in(std::string const& lang) const
{
    assert(!text.empty());
    if (auto it = text.find(lang); it != text.end())
        return it->second;
    return text.begin()->second;
}

Media const* Pack::media_for(Slide const& slide) const
{
    if (!slide.media_id)
        return nullptr;
    auto it = media.find(*slide.media_id);
    return it == media.end() ? nullptr : &it->second;
}

std::string Pack::title_in(std::string const& lang) const
{
    if (auto it = meta.title.find(lang); it != meta.title.end())
        return it->second;
    return meta.title.empty() ? meta.pack_id : meta.title.begin()->second;
}

} // namespace kiosk::content
