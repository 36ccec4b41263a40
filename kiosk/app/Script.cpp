#include "kiosk/app/Script.h"

#include "platform/Files.h"

#include <sstream>

namespace kiosk::app {

Result<std::vector<ScriptStep>> parse_script(std::string const& text, std::string const& file_name)
{
    std::vector<ScriptStep> steps;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        std::istringstream words(line);
        std::string command;
        if (!(words >> command))
            continue;
        ScriptStep step;
        step.line = number;
        auto fail = [&](std::string const& what) {
            return make_error(file_name + ":" + std::to_string(number) + ": " + what);
        };
        bool ok = true;
        if (command == "wait") {
            step.kind = ScriptStep::Kind::Wait;
            ok = bool(words >> step.ms) && step.ms >= 0;
        } else if (command == "tap" || command == "click") {
            step.kind = command == "tap" ? ScriptStep::Kind::Tap : ScriptStep::Kind::Click;
            ok = bool(words >> step.x1 >> step.y1);
        } else if (command == "longpress") {
            step.kind = ScriptStep::Kind::LongPress;
            ok = bool(words >> step.x1 >> step.y1 >> step.ms) && step.ms > 0;
        } else if (command == "drag" || command == "mousedrag") {
            step.kind = command == "drag" ? ScriptStep::Kind::Drag : ScriptStep::Kind::MouseDrag;
            ok = bool(words >> step.x1 >> step.y1 >> step.x2 >> step.y2 >> step.ms) && step.ms > 0;
        } else if (command == "key") {
            step.kind = ScriptStep::Kind::Key;
            ok = bool(words >> step.text);
        } else if (command == "screenshot") {
            step.kind = ScriptStep::Kind::Screenshot;
            ok = bool(words >> step.text);
        } else if (command == "expect") {
            std::string what;
            words >> what;
            if (what == "slide") {
                step.kind = ScriptStep::Kind::ExpectSlide;
                ok = bool(words >> step.number) && step.number >= 1;
            } else if (what == "paused") {
                step.kind = ScriptStep::Kind::ExpectPaused;
                ok = bool(words >> step.text) && (step.text == "yes" || step.text == "no");
            } else if (what == "language") {
                step.kind = ScriptStep::Kind::ExpectLanguage;
                ok = bool(words >> step.text);
            } else if (what == "service") {
                step.kind = ScriptStep::Kind::ExpectService;
                ok = bool(words >> step.text) && (step.text == "yes" || step.text == "no");
            } else {
                return fail("expect what? use 'expect slide N', 'expect paused yes|no', 'expect language CODE' or "
                            "'expect service yes|no'");
            }
        } else {
            return fail("unknown command '" + command
                + "' (wait, tap, longpress, drag, mousedrag, click, key, screenshot, expect)");
        }
        if (!ok)
            return fail("wrong arguments for '" + command + "'");
        std::string extra;
        if (words >> extra)
            return fail("unexpected '" + extra + "' after '" + command + "'");
        steps.push_back(std::move(step));
    }
    return steps;
}

Result<std::vector<ScriptStep>> load_script(std::filesystem::path const& path)
{
    KIOSK_TRY_ASSIGN(auto const bytes, files::read_file(path, 1024 * 1024));
    return parse_script(std::string(bytes.begin(), bytes.end()), path.string());
}

} // namespace kiosk::app
