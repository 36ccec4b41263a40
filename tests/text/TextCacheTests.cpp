// TextCache: made once per key, bounded by bytes, filled from another thread.

#include "TextTestSupport.h"
#include "kiosk/text/TextCache.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace kiosk::text;
using kiosk::text::test::fonts;

namespace {

BoxStyle title_box()
{
    BoxStyle box;
    box.width_px = 400;
    box.height_px = 100;
    box.preferred_size_px = 32;
    return box;
}

TextKey key_for(std::string slide)
{
    return TextKey { std::move(slide), "en", "title", 32, 400 };
}

} // namespace

TEST_CASE("TextCache makes a block once and returns it again", "[text]")
{
    TextCache cache(64 << 20);
    auto first = cache.get_or_make(key_for("s1"), fonts(), "Partners", title_box(), Rgba {});
    REQUIRE(first);
    REQUIRE(first->surface);
    CHECK(first->block.lines.at(0).utf8 == "Partners");
    auto again = cache.get_or_make(key_for("s1"), fonts(), "ignored: already cached", title_box(), Rgba {});
    CHECK(again == first);
    CHECK(cache.find(key_for("s1")) == first);
    CHECK(cache.find(key_for("s2")) == nullptr);
    CHECK(cache.size() == 1);
    CHECK(cache.bytes() == TextCache::cost_of(*first));
}

TEST_CASE("TextCache evicts the least recently used blocks beyond its byte budget", "[text]")
{
    TextCache probe(64 << 20);
    auto one = probe.get_or_make(key_for("probe"), fonts(), "Partners", title_box(), Rgba {});
    auto budget = TextCache::cost_of(*one) * 2 + TextCache::cost_of(*one) / 2; // room for two

    TextCache cache(budget);
    auto a = cache.get_or_make(key_for("a"), fonts(), "Partners", title_box(), Rgba {});
    cache.get_or_make(key_for("b"), fonts(), "Partners", title_box(), Rgba {});
    CHECK(cache.find(key_for("a")) == a); // a is now more recent than b
    cache.get_or_make(key_for("c"), fonts(), "Partners", title_box(), Rgba {});
    CHECK(cache.size() == 2);
    CHECK(cache.bytes() <= budget);
    CHECK(cache.find(key_for("a")) != nullptr);
    CHECK(cache.find(key_for("b")) == nullptr);
    CHECK(cache.find(key_for("c")) != nullptr);
    // A block evicted while someone holds it stays valid for them.
    cache.clear();
    CHECK(cache.size() == 0);
    CHECK(a->block.lines.at(0).utf8 == "Partners");
}

TEST_CASE("a loader thread with its own FontSet fills the cache while this thread reads it", "[text]")
{
    TextCache cache(64 << 20);
    bool loader_opened_fonts = false; // Catch2 assertions belong to the test's thread
    std::thread loader([&cache, &loader_opened_fonts] {
        auto own = FontSet::open(kiosk::text::test::fonts_dir);
        loader_opened_fonts = own.ok();
        if (!own)
            return;
        for (int i = 0; i < 20; ++i)
            cache.get_or_make(
                key_for("slide" + std::to_string(i)), *own, "下一张 slide " + std::to_string(i), title_box(), Rgba {});
    });
    int seen = 0;
    for (int i = 0; i < 20; ++i) {
        auto text = cache.get_or_make(
            key_for("slide" + std::to_string(i)), fonts(), "下一张 slide " + std::to_string(i), title_box(), Rgba {});
        REQUIRE(text);
        seen += text->surface != nullptr;
    }
    loader.join();
    CHECK(loader_opened_fonts);
    CHECK(seen == 20);
    CHECK(cache.size() == 20);
}
