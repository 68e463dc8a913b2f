"""After the decree: the registration files for the BPJS Ketenagakerjaan branch, what the
branch sends back, and each person's state in the register (decreed, handed over, registered,
rejected)."""
