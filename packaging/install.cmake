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

# The default configuration (every key commented with its default; a conffile in the .deb), the
# operator's guide (kiosk.service's Documentation=) and the X11 drop-in example.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/config/kiosk.toml DESTINATION /etc/kiosk)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/../docs/operations.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kiosk)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/examples/x11.conf DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kiosk/examples)

# `make package`: a .deb of everything above (CPack's DEB generator). Configure with
# -DCMAKE_INSTALL_PREFIX=/usr: the prefix is compiled into the app as where its fonts and
# built-in pack are, and kiosk.service starts /usr/bin/kiosk.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiosk)
set(CPACK_PACKAGE_VENDOR "Kiosk")
set(CPACK_PACKAGE_CONTACT "Kiosk maintainers <kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bilingual slideshow for lobby displays, updated from signed packs")
set(CPACK_PACKAGE_DESCRIPTION "A fullscreen English and Simplified Chinese slideshow for lobby displays.
Content comes in signed SQLite packs from USB sticks or a synced folder; runs as
kiosk.service on KMS/DRM without a desktop. See /usr/share/doc/kiosk/operations.md.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries by dpkg-shlibdeps; the tools the maintainer scripts and the USB helper run by name.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, init-system-helpers, udev, util-linux, passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
  ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
  ${CMAKE_CURRENT_LIST_DIR}/debian/postrm
  ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
