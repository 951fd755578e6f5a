"""xxgk-checker: checks Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) against the law and the national format, and scores them.

The flow reads in one direction: file -> Document (checker.readers) -> Report (checker.extract)
-> results (checker.engine.runner) -> score (checker.engine.scoring) -> output (checker.render).
"""
__version__ = "0.1.0"
