#pragma once

// RAII owners for C handles. Take ownership right after the C call, even when it failed:
// a null pointer in a unique_ptr is harmless. Members are destroyed in reverse declaration order: declare owners before
// what they own.

#include <memory>

namespace kiosk {

template<auto Fn>
struct FnDeleter {
    template<class T>
    void operator()(T* p) const noexcept
    {
        if (p)
            Fn(p);
    }
};

template<class T, auto Fn>
using Owned = std::unique_ptr<T, FnDeleter<Fn>>;

} // namespace kiosk
