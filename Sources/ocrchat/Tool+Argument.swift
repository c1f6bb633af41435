import ArgumentParser
import OCRChatEngine

extension Tool: ExpressibleByArgument {}
