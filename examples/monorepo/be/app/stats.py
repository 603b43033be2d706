"""Statistics over public data records: the logic the tests pin down."""


def average_population(records):
    """Mean of the 'population' field; 0 for no records."""
    values = [int(r["population"]) for r in records if "population" in r]
    if not values:
        return 0
    return sum(values) / len(values)
