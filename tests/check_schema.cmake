# ctest driver: WRITER --write OUT, then PYTHON VALIDATOR SCHEMA OUT.
#   cmake -DWRITER=... -DOUT=... -DPYTHON=... -DVALIDATOR=... -DSCHEMA=...
#         -P check_schema.cmake
# A script rather than "sh -c" so that no path needs shell quoting.
execute_process(COMMAND ${WRITER} --write ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${WRITER} --write ${OUT} failed: ${rc}")
endif()
execute_process(COMMAND ${PYTHON} ${VALIDATOR} ${SCHEMA} ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OUT} does not validate against ${SCHEMA}")
endif()
