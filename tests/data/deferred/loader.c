/* No annotation in this unit: its bodies are deferred, and converted
   after all because train.c's walk calls them. */
struct loader {
    int batch;
};

void loader_init(struct loader *l, int batch)
{
    l->batch = batch;
}

void loader_halve(struct loader *l)
{
    l->batch = l->batch / 2;
}
