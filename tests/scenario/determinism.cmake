# determinism.cmake - runs SCENARIO twice with `caps sim --pcap` into OUT/a and
# OUT/b and fails unless the deterministic outputs are byte-identical
# (perf.json, the measured wall time, is the one file allowed to differ).
# cmake -DCAPS=... -DSCENARIO=... -DOUT=... -P determinism.cmake
foreach(run a b)
    file(REMOVE_RECURSE ${OUT}/${run})
    execute_process(COMMAND ${CAPS} sim ${SCENARIO} --out ${OUT}/${run} --pcap -q
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "caps sim ${SCENARIO} --out ${OUT}/${run} --pcap exited ${rc}")
    endif()
endforeach()
set(files result.json inventory.json timeline.csv lan.pcap)
if(EXISTS ${OUT}/a/cloud.json)
    list(APPEND files cloud.json)
endif()
foreach(f ${files})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/a/${f} ${OUT}/b/${f}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${f} differs between two runs of ${SCENARIO}: "
                            "diff ${OUT}/a/${f} ${OUT}/b/${f}")
    endif()
endforeach()
list(LENGTH files n)
message(STATUS "${n} files byte-identical across two runs of ${SCENARIO}")
