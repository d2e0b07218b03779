int f(void)
{
	int x = 1;
		loss(logits, labels);
    int y = g(a, b);
	const char *s = "é"; h(s);
}
