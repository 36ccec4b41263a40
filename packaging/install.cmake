# Installs what packaging/ adds to a system (see packaging/README.md). Included from the top-level
# CMakeLists.txt after include(GNUInstallDirs): include(packaging/install.cmake)
#
# systemd and udev look in fixed places under /lib and /usr/lib whatever the prefix, so these go
# to absolute paths unless KIOSK_SYSTEMD_DIR / KIOSK_UDEV_DIR say otherwise (e.g. a staging root).

set(KIOSK_SYSTEMD_DIR "/lib/systemd/system" CACHE PATH "Where systemd units are installed")
set(KIOSK_UDEV_DIR "/lib/udev/rules.d" CACHE PATH "Where udev rules are installed")
set(KIOSK_LIBEXEC_DIR "/usr/lib/kiosk" CACHE PATH "Where kiosk-usb-mount is installed (named in the unit)")

install(FILES ${CMAKE_CURRENT_LIST_DIR}/systemd/kiosk.service ${CMAKE_CURRENT_LIST_DIR}/systemd/kiosk-usb-mount@.service
  DESTINATION ${KIOSK_SYSTEMD_DIR})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/udev/90-kiosk-usb.rules DESTINATION ${KIOSK_UDEV_DIR})
install(PROGRAMS ${CMAKE_CURRENT_LIST_DIR}/kiosk-usb-mount DESTINATION ${KIOSK_LIBEXEC_DIR})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/tmpfiles/kiosk.conf DESTINATION /usr/lib/tmpfiles.d)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/sysusers/kiosk.conf DESTINATION /usr/lib/sysusers.d)
install(DIRECTORY DESTINATION /etc/kiosk/keys)
