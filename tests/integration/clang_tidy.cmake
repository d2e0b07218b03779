# shapecheck as CMAKE_C_CLANG_TIDY (SPEC section 5): configures the project
# in clang_tidy/ with it, then builds the clean target (must pass) and the
# buggy one (must fail, with the finding in the build's output).
#
#   cmake -DSC=shapecheck -DSOURCE=.../clang_tidy -DBUILD=scratch
#         -DANNOTATIONS=.../annotations -DC_COMPILER=cc -DGENERATOR=...
#         -P clang_tidy.cmake
cmake_minimum_required(VERSION 3.18)

function(run result_var output_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${result_var} "${rc}" PARENT_SCOPE)
  set(${output_var} "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${BUILD})
# Not through run(): its arguments would be split at the ';'.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD}
                -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER}
                "-DCMAKE_C_CLANG_TIDY=${SC};--quiet"
                -DSHAPECHECK_INCLUDE=${ANNOTATIONS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed (${rc}):\n${out}")
endif()

# The clean file: shapecheck runs, finds nothing, the object is built.
run(rc out ${CMAKE_COMMAND} --build ${BUILD} --target clean_objects --verbose)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the clean target did not build (${rc}):\n${out}")
endif()
if(NOT out MATCHES "--tidy=[^\n]*shapecheck")
  message(FATAL_ERROR "the build did not run shapecheck:\n${out}")
endif()
message(STATUS "clean target built with shapecheck as clang-tidy")

# The buggy file: the finding is printed and fails the build.
run(rc out ${CMAKE_COMMAND} --build ${BUILD} --target buggy_objects)
if(rc EQUAL 0)
  message(FATAL_ERROR "the buggy target built, but shapecheck should have "
                      "failed it:\n${out}")
endif()
set(want "buggy\\.c:11:12: error: logits and labels must have the same first "
         "dimension: '&logits\\[0\\]\\[0\\]' is \\[8, 3\\] but 'labels' is "
         "\\[4\\] in call to 'softmax_xent' \\[shape-batch-mismatch\\]")
string(CONCAT want ${want})
if(NOT out MATCHES "${want}")
  message(FATAL_ERROR "the buggy target failed without the finding:\n${out}")
endif()
if(out MATCHES "unknown or incomplete option")
  message(FATAL_ERROR "shapecheck rejected an option CMake passes:\n${out}")
endif()
message(STATUS "buggy target failed on its finding, as it should")
