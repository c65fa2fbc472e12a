"""What school leaders use: the customers' feedback survey, the letter to users, the
service desk charter and the post implementation review (the reports live in `kit.reports`).
"""
