"""The public's check of the support lists and its objections (issue #17): a person asks whether their NIK is
listed as a supporter, and denies a support they never gave; KPU clarifies (BA.5-KWK) and decides."""
