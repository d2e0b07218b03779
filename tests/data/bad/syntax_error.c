/* A file with a compiler error: reported as clang reports it, exit 2. */
#include "shapecheck.h"

int main(void)
{
    int x = ;
    return x;
}
