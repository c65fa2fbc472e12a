"""The school's reference data: people, locations, equipment, groups, categories, levels."""
