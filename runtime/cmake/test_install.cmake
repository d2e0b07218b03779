# test_install.cmake - the packaging test, run by ctest with cmake -P:
# installs the runtime component of BUILD_DIR into SCRATCH/prefix, then
# builds and runs tests/install_consumer against it, with find_package
# (MODE=cmake) or with pkg-config (MODE=pkgconfig).
#
#   -DMODE=cmake|pkgconfig -DBUILD_DIR=... -DCONSUMER_DIR=... -DSCRATCH=...
#   -DC_COMPILER=... [-DSAN_FLAGS=-fsanitize=...]
cmake_minimum_required(VERSION 3.18)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${SCRATCH}/prefix)
file(REMOVE_RECURSE ${SCRATCH})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    --component runtime)

if(MODE STREQUAL "cmake")
  run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${SCRATCH}/build
      -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER}
      "-DCMAKE_C_FLAGS=${SAN_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${SAN_FLAGS}")
  run(${CMAKE_COMMAND} --build ${SCRATCH}/build)
  # One consumer per library; the shared one finds its .so by RPATH.
  run(${SCRATCH}/build/consumer_shared)
  run(${SCRATCH}/build/consumer_static)
  message(STATUS "find_package consumer: ${run_output}")
  return()
endif()

# pkg-config: the flags must point into the prefix, then they must build.
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
file(GLOB pcdirs ${prefix}/lib*/pkgconfig ${prefix}/lib/*/pkgconfig)
string(REPLACE ";" ":" pcpath "${pcdirs}")
set(ENV{PKG_CONFIG_PATH} "${pcpath}")
run(${PKG_CONFIG} --cflags --libs shapecheck_rt)
string(STRIP "${run_output}" flags)
message(STATUS "pkg-config --cflags --libs shapecheck_rt: ${flags}")
foreach(want "-I${prefix}/include" "-L${prefix}/lib" "-lshapecheck_rt")
  string(FIND "${flags}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "'${want}' missing from: ${flags}")
  endif()
endforeach()
separate_arguments(flag_list UNIX_COMMAND "${flags}")
separate_arguments(san_list UNIX_COMMAND "${SAN_FLAGS}")
set(exe ${SCRATCH}/consumer_pc)
run(${C_COMPILER} ${san_list} -std=c11 -o ${exe}
    ${CONSUMER_DIR}/consumer.c ${flag_list})
file(GLOB libdirs ${prefix}/lib*)
string(REPLACE ";" ":" libpath "${libdirs}")
set(ENV{LD_LIBRARY_PATH} "${libpath}:$ENV{LD_LIBRARY_PATH}")
run(${exe})
message(STATUS "pkg-config consumer: ${run_output}")
