import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.stats import average_population  # noqa: E402


class AveragePopulationTest(unittest.TestCase):
    def test_mean_of_records(self):
        self.assertEqual(average_population([{"population": 10}, {"population": "20"}]), 15)

    def test_no_records_is_zero(self):
        self.assertEqual(average_population([]), 0)

    def test_records_without_population_are_skipped(self):
        self.assertEqual(average_population([{"city": "Jeju"}, {"population": 4}]), 4)


if __name__ == "__main__":
    unittest.main()
