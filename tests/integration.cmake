# End-to-end tests (label "integration"): shapecheck as CI systems, build
# systems and editors drive it (SPEC section 5, docs/ci.md).  The scripts
# and small projects are in integration/; each test works in its own
# folder under the build tree (integration/<name>), which it empties first.
# Included from tests/CMakeLists.txt, after cli.cmake (SC, EXPECT, CORPUS).
set(IT ${CMAKE_CURRENT_SOURCE_DIR}/integration)
set(IT_WORK ${CMAKE_CURRENT_BINARY_DIR}/integration)
set(IT_CORPUS_FILES)
foreach(dir batch rules flow calls)
  file(GLOB files CONFIGURE_DEPENDS ${CORPUS}/${dir}/*.c)
  list(APPEND IT_CORPUS_FILES ${files})
endforeach()
list(SORT IT_CORPUS_FILES)
file(MAKE_DIRECTORY ${IT_WORK})

function(sc_integration_test name)
  add_test(NAME integration.${name} COMMAND ${ARGN})
  set_tests_properties(integration.${name} PROPERTIES LABELS integration)
endfunction()

# (a) CMAKE_C_CLANG_TIDY: a finding fails the build of its file.
sc_integration_test(clang_tidy
  ${CMAKE_COMMAND} -DSC=${SC} -DSOURCE=${IT}/clang_tidy
    -DBUILD=${IT_WORK}/clang_tidy -DANNOTATIONS=${PROJECT_SOURCE_DIR}/annotations
    -DC_COMPILER=${CMAKE_C_COMPILER} -DGENERATOR=${CMAKE_GENERATOR}
    -P ${IT}/clang_tidy.cmake)

# (b) -j N: the same output, byte for byte, for every N.
sc_integration_test(jobs_corpus
  sh ${IT}/jobs.sh ${SC} ${IT_WORK}/jobs_corpus
    ${IT_CORPUS_FILES} -- -I${CORPUS}/include)
sc_integration_test(jobs_project
  sh ${IT}/jobs.sh ${SC} ${IT_WORK}/jobs_project
    -p ${PROJECT_BINARY_DIR}/corpus/project-build)
set_tests_properties(integration.jobs_project PROPERTIES
  FIXTURES_REQUIRED corpus_project)

# (c) The tree is the source tree: --no-index keeps the project index out
# of it.  FILE matched against -p's database by path suffix; the database's
# relative "directory" ("..") is relative to its own folder.  BATCH is 8 in
# build/compile_commands.json and 16 in the one above src/ (d).
set(COMPDB_TREE ${IT}/compdb)
set(FROM_BUILD "'&logits\\[0\\]\\[0\\]' is \\[8, 4\\] but 'labels' is \\[7\\]")
set(FROM_PARENT "'&logits\\[0\\]\\[0\\]' is \\[16, 4\\] but 'labels' is \\[15\\]")
sc_integration_test(compdb_suffix_relative
  ${EXPECT} 1 ${FROM_BUILD} ${SC} --no-index -p build src/train.c)
set_tests_properties(integration.compdb_suffix_relative PROPERTIES
  WORKING_DIRECTORY ${COMPDB_TREE})
# From elsewhere: neither "src/train.c" nor "train.c" exists there.
sc_integration_test(compdb_suffix_elsewhere
  ${EXPECT} 1 ${FROM_BUILD} ${SC} --no-index -p ${COMPDB_TREE}/build src/train.c)
sc_integration_test(compdb_suffix_file_name
  ${EXPECT} 1 ${FROM_BUILD} ${SC} --no-index -p ${COMPDB_TREE}/build train.c)
sc_integration_test(compdb_suffix_no_match
  ${EXPECT} 2 "other\\.c is not in .*compile_commands\\.json"
  ${SC} -p ${COMPDB_TREE}/build other.c)
set_tests_properties(integration.compdb_suffix_elsewhere
  integration.compdb_suffix_file_name integration.compdb_suffix_no_match
  PROPERTIES WORKING_DIRECTORY ${IT_WORK})

# (d) Without -p: the compile_commands.json of a folder above the file.
sc_integration_test(compdb_found_above
  ${EXPECT} 1 ${FROM_PARENT} ${SC} --no-index ${COMPDB_TREE}/src/train.c)
set_tests_properties(integration.compdb_found_above PROPERTIES
  WORKING_DIRECTORY ${IT_WORK})
# "--" arguments replace any database.
sc_integration_test(compdb_dashdash_wins
  ${EXPECT} 2 "BATCH comes from the compile database"
  ${SC} ${COMPDB_TREE}/src/train.c -- -I${COMPDB_TREE}/include)
# A malformed database leaves the report given with -o as it was.
sc_integration_test(compdb_malformed_keeps_report
  sh ${IT}/keeps_report.sh ${IT_WORK}/compdb_malformed
    "compile_commands\\.json:3:[0-9]+: malformed JSON"
    ${SC} -p ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/baddb)

# (e) Baselines: adopt on code with findings, fail only on new ones.
sc_integration_test(baseline
  sh ${IT}/baseline.sh ${SC} ${CORPUS} ${IT_WORK}/baseline)

# (f) .shapecheck.
sc_integration_test(config
  sh ${IT}/config.sh ${SC} ${CORPUS} ${IT_WORK}/config)

# (g) NOLINT: corpus/rules/nolint.c and nolint_unmatched.c are verified
# with the corpus; here the rule of an unmatched NOLINTBEGIN as reported.
sc_integration_test(nolint_unmatched
  ${EXPECT} 1 "nolint_unmatched\\.c:26:8: error: unmatched 'NOLINTBEGIN' comment without a subsequent 'NOLINTEND' comment \\[shapecheck-nolint\\]"
  ${SC} ${CORPUS}/rules/nolint_unmatched.c -- -I${CORPUS}/include)

# (h) The progress line: on a terminal only, and not with --quiet.
sc_integration_test(progress
  sh ${IT}/progress.sh ${SC} ${IT_WORK}/progress
    ${CORPUS}/batch/labels_short_batch.c ${CORPUS}/batch/short_last_batch.c
    ${CORPUS}/batch/truncated_labels.c -- -I${CORPUS}/include)
set_tests_properties(integration.progress PROPERTIES SKIP_RETURN_CODE 77)

# (i) --format and -o, validated against the schemas.
if(SC_PYTHON3)
  sc_integration_test(formats
    sh ${IT}/formats.sh ${SC} ${IT_WORK}/formats ${SC_PYTHON3}
      ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py
      ${CMAKE_CURRENT_SOURCE_DIR}/sarif-schema-2.1.0.json
      ${PROJECT_SOURCE_DIR}/docs/shapecheck-findings.schema.json
      ${CORPUS}/batch/labels_short_batch.c ${CORPUS}/rules/shape_mismatch.c
      -- -I${CORPUS}/include)
endif()

# (j) cmake --install: every file in place; the installed checker works and
# uses the headers installed beside it.  After the runtime's install tests,
# which write the same .pc file in the build tree at install time.
sc_integration_test(install
  sh ${IT}/install.sh ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR} ${IT_WORK}/install ${CORPUS})
set_tests_properties(integration.install PROPERTIES
  DEPENDS "install.rt_cmake;install.rt_pkgconfig")

# The recipes of docs/ci.md: the GitHub Actions workflow's offline steps,
# and the pre-commit hook as pre-commit runs it.
if(SC_PYTHON3)
  sc_integration_test(ci_workflow
    ${SC_PYTHON3} ${IT}/ci_workflow.py
      ${PROJECT_SOURCE_DIR}/docs/github-actions/shapecheck.yml
      ${CORPUS}/project ${IT_WORK}/ci_workflow $<TARGET_FILE_DIR:shapecheck>
      ${CMAKE_CURRENT_SOURCE_DIR}/validate_schema.py
      ${CMAKE_CURRENT_SOURCE_DIR}/sarif-schema-2.1.0.json)
  sc_integration_test(precommit_hook
    ${SC_PYTHON3} ${IT}/precommit.py ${PROJECT_SOURCE_DIR}/.pre-commit-hooks.yaml
      $<TARGET_FILE_DIR:shapecheck> ${IT}/clang_tidy/buggy.c
      ${IT}/clang_tidy/clean.c ${COMPDB_TREE} ${IT_WORK}/precommit)
endif()

# The man page and the README describe every option of --help.
sc_integration_test(docs_options
  sh ${IT}/docs_options.sh ${SC} ${PROJECT_SOURCE_DIR}/docs/shapecheck.1
    ${PROJECT_SOURCE_DIR}/README.md)

# --cache-dir: only what changed is parsed, and the report is unchanged.
sc_integration_test(cache
  sh ${IT}/cache.sh ${SC} ${IT_WORK}/cache ${CORPUS}/project
    ${PROJECT_SOURCE_DIR}/annotations)

# clang-tidy's habits: -quiet, -p=DIR, --checks=GLOBS, -export-fixes.
sc_integration_test(clang_tidy_options
  sh ${IT}/clang_tidy_options.sh ${SC} ${CORPUS} ${IT_WORK}/clang_tidy_options)

# The project index and facts files (SPEC section 7, docs/facts.md):
# single-unit runs report the bug that crosses files, stale entries are
# never used, runs outside the database leave the index alone, the link
# step reports what -p does, bad facts files are errors.
if(SC_PYTHON3)
  sc_integration_test(index
    ${SC_PYTHON3} ${IT}/index.py ${SC} ${CMAKE_COMMAND} ${CORPUS}/project
      ${PROJECT_SOURCE_DIR}/annotations ${CORPUS} ${IT_WORK}/index)
endif()

# Every summary written reads back (the index's single-unit runs and the
# cache read them): the corpus, the engine cases, and the constructs that
# once wrote what the reader refused (tests/data/summaries).
file(GLOB SC_SUMMARY_FILES
     ${CORPUS}/batch/*.c ${CORPUS}/calls/*.c ${CORPUS}/flow/*.c
     ${CORPUS}/loops/*.c ${CORPUS}/precision/*.c ${CORPUS}/rules/*.c
     ${CORPUS}/trainers/*.c
     ${PROJECT_SOURCE_DIR}/tests/engine-cases/*.c
     ${PROJECT_SOURCE_DIR}/tests/data/summaries/*.c)
sc_integration_test(summaries_read_back
  sh ${IT}/summaries.sh ${SC} ${CORPUS}/include ${IT_WORK}/summaries
    ${SC_SUMMARY_FILES})

# Walking only the bodies that can report (engine/demand.c) reports what
# walking every body does: the same files, and generated programs.
sc_integration_test(walk_on_demand
  sh ${IT}/demand.sh ${SC} ${CORPUS}/include
    ${PROJECT_SOURCE_DIR}/tests/oracle ${IT_WORK}/demand ${SC_PYTHON3} --
    ${SC_SUMMARY_FILES})

# Bodies the front end deferred are parsed in full when the walks need
# them, from the run's own units and from the index's facts.
sc_integration_test(deferred_bodies
  sh ${IT}/deferred.sh ${SC} ${CORPUS}/include
    ${PROJECT_SOURCE_DIR}/tests/data/deferred ${IT_WORK}/deferred)

# Three programs' mains in one database: a single-unit run takes the other
# units by their summaries (none imports another unit's static).
sc_integration_test(index_mains
  sh ${IT}/index_mains.sh ${SC} ${PROJECT_SOURCE_DIR}/tests/data/mains
    ${IT_WORK}/index_mains)

# In the build graph (SPEC section 7, docs/build-integration.md): each
# installs the checker component into a folder of its own.
# shapecheck_add_check() on corpus/project, with Ninja and Makefiles.
sc_integration_test(build_graph_cmake
  sh ${IT}/build_graph.sh ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
    ${PROJECT_SOURCE_DIR} ${IT_WORK}/build_graph_cmake)
# A generated project of 200 units: an edit re-runs one facts action and
# the link, and the report is the cold build's.
if(SC_PYTHON3)
  sc_integration_test(build_graph_incremental
    sh ${IT}/build_graph_incremental.sh ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
      ${PROJECT_SOURCE_DIR} ${IT_WORK}/build_graph_incremental)
  # The Bazel aspect, with Debian's bazel-bootstrap; skipped without it.
  sc_integration_test(build_graph_bazel
    ${SC_PYTHON3} ${IT}/bazel_aspect.py ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
      ${PROJECT_SOURCE_DIR} ${IT_WORK}/build_graph_bazel)
  set_tests_properties(integration.build_graph_bazel PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 900)
  set_tests_properties(integration.build_graph_incremental PROPERTIES
    SKIP_RETURN_CODE 77)
endif()
