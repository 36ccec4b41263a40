#pragma once

// Result<T>: the return type of every operation that can fail for a reason a person can act on
// (a bad pack, a missing file, an SDL or SQLite error). Programmer errors assert instead.
// The message is written for the operator: what failed and where, e.g.
// "content/slides/03.toml:12: field 'duration_ms' must be an integer".

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

struct Error {
    std::string message;
};

inline Error make_error(std::string message)
{
    return Error { std::move(message) };
}

template<class T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() &
    {
        assert(ok());
        return std::get<T>(m_state);
    }
    T const& value() const&
    {
        assert(ok());
        return std::get<T>(m_state);
    }
    T&& value() &&
    {
        assert(ok());
        return std::get<T>(std::move(m_state));
    }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }
    T& operator*() & { return value(); }

    Error const& error() const
    {
        assert(!ok());
        return std::get<Error>(m_state);
    }
    std::string const& message() const { return error().message; }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success carries nothing.
template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true)
    {
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    Error const& error() const
    {
        assert(m_failed);
        return m_error;
    }
    std::string const& message() const { return error().message; }

private:
    Error m_error;
    bool m_failed { false };
};

using Status = Result<void>;

} // namespace kiosk

// Propagates the error of an expression returning Result<...> out of the current function.
//     KIOSK_TRY(transaction.commit());
#define KIOSK_TRY(expr)                                                                                                \
    do {                                                                                                               \
        auto&& kiosk_try_result_ = (expr);                                                                             \
        if (!kiosk_try_result_)                                                                                        \
            return kiosk_try_result_.error();                                                                          \
    } while (0)

// The expression form: evaluates a Result<T>, returns its error from the current function, or
// moves its value into `declaration`, which may declare a new variable or name an existing one:
//     KIOSK_TRY_ASSIGN(auto db, Database::open(path, mode));
//     KIOSK_TRY_ASSIGN(meta.pack_id, required("pack_id"));
// A macro of plain statements rather than a GCC statement-expression, so it is portable C++.
// It expands to more than one statement: use it in a block, not as the body of an unbraced `if`.
#define KIOSK_TRY_ASSIGN(declaration, expr)                                                                            \
    KIOSK_TRY_ASSIGN_IMPL_(KIOSK_TRY_CONCAT_(kiosk_try_, __LINE__), declaration, expr)
#define KIOSK_TRY_CONCAT_INNER_(a, b) a##b
#define KIOSK_TRY_CONCAT_(a, b) KIOSK_TRY_CONCAT_INNER_(a, b)
#define KIOSK_TRY_ASSIGN_IMPL_(temporary, declaration, expr)                                                           \
    auto temporary = (expr);                                                                                           \
    if (!temporary)                                                                                                    \
        return temporary.error();                                                                                      \
    declaration = std::move(temporary).value()
