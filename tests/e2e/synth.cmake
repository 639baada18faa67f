# synth.cmake - included from tests/e2e/CMakeLists.txt: Wireshark reads every
# frame of `caps synth` output without malformed packets or expert errors, and
# two runs with the same arguments give the same bytes. Skips (77) without tshark.
add_test(NAME e2e_tshark_synth
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/tshark_synth_test.sh $<TARGET_FILE:caps>
                 ${CMAKE_CURRENT_BINARY_DIR}/tshark_synth)
set_tests_properties(e2e_tshark_synth PROPERTIES LABELS e2e TIMEOUT 300 SKIP_RETURN_CODE 77)
