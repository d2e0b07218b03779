// expected-no-diagnostics
int add(int a, int b)
{
    return a + b;
}
