"""What becomes public: the three notices as data and HTML, and the credit platform export."""
