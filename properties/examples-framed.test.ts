// The framed-profile example servers, through the command line.
import { classifyExamples } from './examples';

classifyExamples('framed');
