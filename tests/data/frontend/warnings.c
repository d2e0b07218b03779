/* Clean but for warnings: an implicit declaration (an error only under
   -Werror=implicit-function-declaration) and an unused variable. */
int uses_undeclared(void)
{
    int unused = 0;
    return undeclared_function(1);
}
