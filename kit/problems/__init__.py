"""Problems: the cause behind recurring calls, its workaround, its fix, and known errors."""
