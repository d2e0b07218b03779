# ShapecheckAddCheck.cmake - shapecheck in the build graph (SPEC section 7,
# docs/build-integration.md).
#
#   shapecheck_add_check(TARGET
#                        [EXCLUDE_FROM_ALL]
#                        [OPTIONS opt...]         # the link step's options
#                        [FACTS_OPTIONS opt...])  # each facts action's options
#
# For each C source of TARGET, and of every library target TARGET links
# (transitively, as the linker sees them), one facts action, as "cc -c" is
# one compile action:
#
#   shapecheck --emit-facts OUT.scfacts SRC -- <SRC's compile flags>
#
# and for TARGET one link action over all those facts files, as the linker
# is one action over the objects:
#
#   shapecheck [OPTIONS] A.scfacts B.scfacts ...
#
# The link action is the custom target shapecheck_<TARGET>, built by "all"
# unless EXCLUDE_FROM_ALL is given.  A finding (exit status 1) or a unit the
# checker could not analyse (2) fails it, with the report in the build's
# output.  ninja / make -jN run the facts actions in parallel and, after an
# edit, run again only the facts actions whose source or headers changed,
# then the link.
#
# A source's flags are its target's, through generator expressions, so they
# are those of the build configuration in use: include directories,
# compile definitions and options (with what linked targets' usage
# requirements add), the C standard (C_STANDARD and C_EXTENSIONS), the
# directory's CMAKE_C_FLAGS and CMAKE_C_FLAGS_<CONFIG>, and the source's own
# COMPILE_DEFINITIONS, COMPILE_OPTIONS, INCLUDE_DIRECTORIES and
# COMPILE_FLAGS.  Header dependencies come from a depfile the C compiler
# writes in the same action (-M, with the same flags; the checker's own
# shapecheck.h is the one of SHAPECHECK_INCLUDE_DIR), so that editing a
# header re-runs exactly the facts actions of the sources that include it.
#
# The checker: the imported target shapecheck::shapecheck (find_package),
# the target "shapecheck" when shapecheck is built in the same project,
# else SHAPECHECK_EXECUTABLE (found on PATH).  A facts file depends on the
# checker, so a new checker re-runs every facts action.
#
# Needs CMake 3.20 (DEPFILE with Makefile generators, deferred calls).
# Targets are walked at the end of the top-level CMakeLists.txt, so that
# target_link_libraries() calls after shapecheck_add_check() count.

cmake_minimum_required(VERSION 3.20)
include_guard(GLOBAL)

# Custom commands' depfiles: paths relative to the command's binary folder,
# or absolute (the compiler writes absolute ones here).
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

# Where the checker's annotations header is, for the depfile's -M run.
if(NOT SHAPECHECK_INCLUDE_DIR)
  get_filename_component(_sc_here "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
  if(EXISTS "${_sc_here}/../../annotations/shapecheck.h")
    # Used from a source tree of shapecheck (integrations/cmake/).
    get_filename_component(SHAPECHECK_INCLUDE_DIR
                           "${_sc_here}/../../annotations" ABSOLUTE)
  endif()
endif()

function(_shapecheck_checker out_exe out_dep)
  if(TARGET shapecheck::shapecheck)
    set(${out_exe} "$<TARGET_FILE:shapecheck::shapecheck>" PARENT_SCOPE)
    get_target_property(loc shapecheck::shapecheck IMPORTED_LOCATION)
    set(${out_dep} "${loc}" PARENT_SCOPE)
  elseif(TARGET shapecheck)
    get_target_property(type shapecheck TYPE)
    if(NOT type STREQUAL "EXECUTABLE")
      message(FATAL_ERROR "shapecheck_add_check: the target 'shapecheck' "
                          "is not the checker")
    endif()
    set(${out_exe} "$<TARGET_FILE:shapecheck>" PARENT_SCOPE)
    set(${out_dep} shapecheck PARENT_SCOPE)
  else()
    find_program(SHAPECHECK_EXECUTABLE shapecheck)
    if(NOT SHAPECHECK_EXECUTABLE)
      message(FATAL_ERROR "shapecheck_add_check: no shapecheck: use "
                          "find_package(shapecheck) or set "
                          "SHAPECHECK_EXECUTABLE")
    endif()
    set(${out_exe} "${SHAPECHECK_EXECUTABLE}" PARENT_SCOPE)
    set(${out_dep} "${SHAPECHECK_EXECUTABLE}" PARENT_SCOPE)
  endif()
endfunction()

# The library targets TARGET links, transitively, that have sources
# (static, shared, module and object libraries), in link order.
# Interface libraries are followed, imported targets and plain names
# ("m") are not, and entries that are generator expressions other than
# $<LINK_ONLY:...> are skipped.
function(_shapecheck_linked target out)
  set(seen "${target}")
  set(result "")
  get_target_property(todo ${target} LINK_LIBRARIES)
  if(NOT todo)
    set(todo "")
  endif()
  while(todo)
    list(POP_FRONT todo lib)
    if(lib MATCHES "^\\$<LINK_ONLY:([^$<>]+)>$")
      set(lib "${CMAKE_MATCH_1}")
    endif()
    if(lib MATCHES "^::@") # target_link_libraries() from another folder
      continue()
    endif()
    if(lib IN_LIST seen OR NOT TARGET "${lib}")
      continue()
    endif()
    list(APPEND seen "${lib}")
    get_target_property(aliased "${lib}" ALIASED_TARGET)
    if(aliased)
      list(PREPEND todo "${aliased}")
      continue()
    endif()
    get_target_property(imported "${lib}" IMPORTED)
    if(imported)
      continue()
    endif()
    get_target_property(type "${lib}" TYPE)
    if(type MATCHES "^(STATIC|SHARED|MODULE|OBJECT)_LIBRARY$")
      list(APPEND result "${lib}")
    endif()
    get_target_property(more "${lib}" INTERFACE_LINK_LIBRARIES)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(private "${lib}" LINK_LIBRARIES)
      if(private)
        list(APPEND more ${private})
      endif()
    endif()
    if(more)
      list(APPEND todo ${more})
    endif()
  endwhile()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# ENTRY, one entry of a compile property, with $<COMPILE_LANGUAGE:...> and
# $<COMPILE_LANG_AND_ID:...> decided for C: a custom command has no
# language, so CMake evaluates them to nothing there.
function(_shapecheck_for_c entry out)
  while(entry MATCHES "\\$<COMPILE_LANGUAGE(:([^>]*))?>")
    set(match "${CMAKE_MATCH_0}")
    set(value 0)
    if(NOT CMAKE_MATCH_1)
      set(value C)
    else()
      string(REPLACE "," ";" langs "${CMAKE_MATCH_2}")
      if("C" IN_LIST langs)
        set(value 1)
      endif()
    endif()
    string(REPLACE "${match}" "${value}" entry "${entry}")
  endwhile()
  while(entry MATCHES "\\$<COMPILE_LANG_AND_ID:([^,>]*),([^>]*)>")
    set(match "${CMAKE_MATCH_0}")
    string(REPLACE "," ";" ids "${CMAKE_MATCH_2}")
    set(value 0)
    if(CMAKE_MATCH_1 STREQUAL "C" AND CMAKE_C_COMPILER_ID IN_LIST ids)
      set(value 1)
    endif()
    string(REPLACE "${match}" "${value}" entry "${entry}")
  endwhile()
  set(${out} "${entry}" PARENT_SCOPE)
endfunction()

# The entries of TARGET's compile definitions, options and include
# folders, and of the usage requirements of everything it links
# (imported targets too), that name the compile language, decided for C.
# $<TARGET_PROPERTY:TARGET,...> has the others.
function(_shapecheck_language_flags target out)
  set(flags "")
  set(seen "")
  set(todo "${target}")
  while(todo)
    list(POP_FRONT todo t)
    if(t MATCHES "^\\$<LINK_ONLY:([^$<>]+)>$")
      set(t "${CMAKE_MATCH_1}")
    endif()
    if(t IN_LIST seen OR NOT TARGET "${t}")
      continue()
    endif()
    list(APPEND seen "${t}")
    get_target_property(aliased "${t}" ALIASED_TARGET)
    if(aliased)
      list(APPEND todo "${aliased}")
      continue()
    endif()
    set(props INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS
              INTERFACE_INCLUDE_DIRECTORIES INTERFACE_LINK_LIBRARIES)
    if(t STREQUAL target)
      set(props COMPILE_DEFINITIONS COMPILE_OPTIONS INCLUDE_DIRECTORIES
                LINK_LIBRARIES)
    endif()
    foreach(prop ${props})
      get_target_property(values "${t}" ${prop})
      if(NOT values)
        continue()
      endif()
      if(prop MATCHES "LINK_LIBRARIES$")
        list(APPEND todo ${values})
        continue()
      endif()
      foreach(v ${values})
        if(NOT v MATCHES "COMPILE_LANG")
          continue()
        endif()
        _shapecheck_for_c("${v}" v)
        if(prop MATCHES "DEFINITIONS$")
          list(APPEND flags "$<$<BOOL:${v}>:-D${v}>")
        elseif(prop MATCHES "DIRECTORIES$")
          list(APPEND flags "$<$<BOOL:${v}>:-I${v}>")
        else()
          list(APPEND flags "${v}")
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

# "-I$<JOIN:...>"-style flags of a list-valued generator expression, empty
# when the list is.
function(_shapecheck_prefixed out prefix list_genex)
  set(${out}
      "$<$<BOOL:${list_genex}>:${prefix}$<JOIN:${list_genex},$<SEMICOLON>${prefix}>>"
      PARENT_SCOPE)
endfunction()

# The compile flags of SRC in TARGET, as a list (generator expressions
# inside, for COMMAND_EXPAND_LISTS).
function(_shapecheck_flags target src out)
  set(flags "")
  get_target_property(dir ${target} SOURCE_DIR)
  # The directory's CMAKE_C_FLAGS and those of the configuration.
  get_directory_property(cflags DIRECTORY "${dir}" DEFINITION CMAKE_C_FLAGS)
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  list(APPEND flags ${cflags})
  set(configs ${CMAKE_CONFIGURATION_TYPES} ${CMAKE_BUILD_TYPE})
  list(REMOVE_DUPLICATES configs)
  foreach(config ${configs})
    string(TOUPPER "${config}" upper)
    get_directory_property(cf DIRECTORY "${dir}"
                           DEFINITION CMAKE_C_FLAGS_${upper})
    separate_arguments(cf UNIX_COMMAND "${cf}")
    foreach(f ${cf})
      list(APPEND flags "$<$<CONFIG:${config}>:${f}>")
    endforeach()
  endforeach()
  # The C standard: -std=c11 or -std=gnu11 (C_EXTENSIONS defaults to ON).
  set(std "$<TARGET_PROPERTY:${target},C_STANDARD>")
  set(ext "$<TARGET_PROPERTY:${target},C_EXTENSIONS>")
  list(APPEND flags
       "$<$<BOOL:${std}>:-std=$<IF:$<STREQUAL:${ext},>,gnu,$<IF:$<BOOL:${ext}>,gnu,c>>${std}>")
  # The target's usage requirements, with those of what it links.
  _shapecheck_prefixed(defs -D
    "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  _shapecheck_prefixed(incs -I
    "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  _shapecheck_language_flags(${target} lang_flags)
  list(APPEND flags "${defs}" "${incs}"
       "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>" ${lang_flags})
  # The source's own properties (in the target's folder).
  get_source_file_property(sdefs "${src}" TARGET_DIRECTORY ${target}
                           COMPILE_DEFINITIONS)
  if(sdefs)
    foreach(d ${sdefs})
      list(APPEND flags "-D${d}")
    endforeach()
  endif()
  get_source_file_property(sincs "${src}" TARGET_DIRECTORY ${target}
                           INCLUDE_DIRECTORIES)
  if(sincs)
    foreach(i ${sincs})
      list(APPEND flags "-I${i}")
    endforeach()
  endif()
  get_source_file_property(sopts "${src}" TARGET_DIRECTORY ${target}
                           COMPILE_OPTIONS)
  if(sopts)
    list(APPEND flags ${sopts})
  endif()
  get_source_file_property(sflags "${src}" TARGET_DIRECTORY ${target}
                           COMPILE_FLAGS)
  if(sflags)
    separate_arguments(sflags UNIX_COMMAND "${sflags}")
    list(APPEND flags ${sflags})
  endif()
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

# The facts actions of TARGET's C sources, once per target however many
# checks link it: the custom target shapecheck_facts_<TARGET>, and in OUT
# the facts files.  FACTS_OPTIONS must be the same for every check that
# shares the target.
function(_shapecheck_facts target facts_options out)
  get_property(done GLOBAL PROPERTY _SHAPECHECK_FACTS_${target} SET)
  if(done)
    get_property(files GLOBAL PROPERTY _SHAPECHECK_FACTS_${target})
    get_property(opts GLOBAL PROPERTY _SHAPECHECK_FACTS_OPTIONS_${target})
    if(NOT "${opts}" STREQUAL "${facts_options}")
      message(FATAL_ERROR "shapecheck_add_check: two checks link "
                          "'${target}' with different FACTS_OPTIONS")
    endif()
    set(${out} "${files}" PARENT_SCOPE)
    return()
  endif()
  _shapecheck_checker(exe exe_dep)
  get_target_property(src_dir ${target} SOURCE_DIR)
  get_target_property(bin_dir ${target} BINARY_DIR)
  get_target_property(sources ${target} SOURCES)
  set(facts_dir "${bin_dir}/CMakeFiles/${target}.shapecheck")
  set(sc_include "")
  if(SHAPECHECK_INCLUDE_DIR)
    set(sc_include "-I${SHAPECHECK_INCLUDE_DIR}")
  endif()
  set(files "")
  foreach(src ${sources})
    if(src MATCHES "\\$<") # $<TARGET_OBJECTS:...> and the like
      continue()
    endif()
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${src_dir}")
    get_source_file_property(lang "${abs}" TARGET_DIRECTORY ${target}
                             LANGUAGE)
    if(NOT lang STREQUAL "C" AND NOT (lang MATCHES "NOTFOUND|^$" AND
                                      abs MATCHES "\\.c$"))
      continue()
    endif()
    # Named as the object file would be: the path under the target's
    # folder, or the file name and a hash of the path for a source elsewhere.
    file(RELATIVE_PATH rel "${src_dir}" "${abs}")
    if(rel MATCHES "^\\.\\./" OR IS_ABSOLUTE "${rel}")
      get_filename_component(name "${abs}" NAME)
      string(MD5 hash "${abs}")
      string(SUBSTRING "${hash}" 0 8 hash)
      set(rel "__/${name}.${hash}")
    endif()
    set(fact "${facts_dir}/${rel}.scfacts")
    set(dep "${facts_dir}/${rel}.d")
    get_filename_component(fact_dir "${fact}" DIRECTORY)
    file(MAKE_DIRECTORY "${fact_dir}")
    file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${fact}")
    _shapecheck_flags(${target} "${abs}" flags)
    add_custom_command(
      OUTPUT "${fact}"
      # The header dependencies, as the compiler sees them with these flags
      # and the checker's macros.
      COMMAND "${CMAKE_C_COMPILER}" ${flags} ${sc_include} -D__SHAPECHECK__
              -M -MT "${fact}" -MF "${dep}" "${abs}"
      COMMAND "${exe}" --quiet ${facts_options} --emit-facts "${fact}"
              "${abs}" -- ${flags}
      DEPENDS "${abs}" ${exe_dep}
      DEPFILE "${dep}"
      WORKING_DIRECTORY "${bin_dir}"
      COMMENT "shapecheck facts ${shown}"
      COMMAND_EXPAND_LISTS VERBATIM)
    list(APPEND files "${fact}")
  endforeach()
  add_custom_target(shapecheck_facts_${target} DEPENDS ${files})
  set_property(GLOBAL PROPERTY _SHAPECHECK_FACTS_${target} "${files}")
  set_property(GLOBAL PROPERTY _SHAPECHECK_FACTS_OPTIONS_${target}
               "${facts_options}")
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# The link action of TARGET (run at the end of the top-level directory).
function(_shapecheck_link target all options facts_options)
  _shapecheck_checker(exe exe_dep)
  _shapecheck_linked(${target} libs)
  set(facts "")
  set(facts_targets "")
  foreach(t ${target} ${libs})
    _shapecheck_facts(${t} "${facts_options}" files)
    list(APPEND facts ${files})
    list(APPEND facts_targets shapecheck_facts_${t})
  endforeach()
  if(NOT facts)
    message(WARNING "shapecheck_add_check(${target}): no C source to check")
  endif()
  get_target_property(bin_dir ${target} BINARY_DIR)
  set(stamp "${bin_dir}/CMakeFiles/${target}.shapecheck/${target}.checked")
  # The report goes to the build's output; the stamp is written only when
  # the check passed, so a failed check runs again on the next build.
  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND "${exe}" --quiet ${options} ${facts}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${facts} ${facts_targets} ${exe_dep}
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    COMMENT "shapecheck ${target}"
    COMMAND_EXPAND_LISTS VERBATIM)
  set(all_flag "")
  if(all)
    set(all_flag ALL)
  endif()
  add_custom_target(shapecheck_${target} ${all_flag} DEPENDS "${stamp}")
endfunction()

function(shapecheck_add_check target)
  cmake_parse_arguments(PARSE_ARGV 1 SC "EXCLUDE_FROM_ALL" ""
                        "OPTIONS;FACTS_OPTIONS")
  if(SC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "shapecheck_add_check: unknown arguments "
                        "${SC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "shapecheck_add_check: no target '${target}'")
  endif()
  if(TARGET shapecheck_${target})
    message(FATAL_ERROR "shapecheck_add_check: '${target}' is checked twice")
  endif()
  set(all TRUE)
  if(SC_EXCLUDE_FROM_ALL)
    set(all FALSE)
  endif()
  # At the end of the top-level CMakeLists.txt, when every target and its
  # link libraries are known.
  cmake_language(EVAL CODE "
    cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]]
      CALL _shapecheck_link [[${target}]] ${all}
           [[${SC_OPTIONS}]] [[${SC_FACTS_OPTIONS}]])")
endfunction()
