print("adoperm")
